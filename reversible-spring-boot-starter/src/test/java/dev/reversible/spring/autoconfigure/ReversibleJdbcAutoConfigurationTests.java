package dev.reversible.spring.autoconfigure;

import java.util.UUID;

import javax.sql.DataSource;

import dev.reversible.jdbc.CompletedSagas;
import dev.reversible.jdbc.JdbcJournal;
import dev.reversible.jdbc.JournalSchemaException;
import dev.reversible.core.SagaJournal;
import dev.reversible.spring.diagnostics.JournalSchemaFailureAnalyzer;
import dev.reversible.spring.jdbc.JdbcStepJournal;
import dev.reversible.spring.jdbc.JournalLifecycle;
import dev.reversible.spring.jdbc.ReversibleDataSource;
import dev.reversible.spring.jdbc.SagaRecovery;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ReversibleJdbcAutoConfiguration}: the journal exists exactly when {@code reversible-jdbc}
 * is on the class path, a {@code DataSource} exists and {@code reversible.jdbc.enabled} is not false; its
 * schema is applied and checked at start-up; it uses a {@code DataSource} marked for it.
 */
class ReversibleJdbcAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, ReversibleAutoConfiguration.class,
                    ReversibleJdbcAutoConfiguration.class))
            .withPropertyValues("spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                    "spring.datasource.generate-unique-name=false");

    @Test
    void runWithDataSourceShouldCreateTheJournalAndItsSchema() {
        contextRunner.run(context -> {
            assertThat(context).hasSingleBean(JdbcJournal.class).hasSingleBean(SagaJournal.class).hasSingleBean(JdbcStepJournal.class)
                    .hasSingleBean(SagaRecovery.class).hasSingleBean(JournalLifecycle.class);
            assertThat(context.getBean(JournalLifecycle.class).isRunning()).isTrue();
            assertThat(JdbcClient.create(context.getBean(DataSource.class)).sql("SELECT COUNT(*) FROM reversible_instances")
                    .query(Integer.class).single()).isEqualTo(1);
        });
    }

    @Test
    void closeShouldMarkTheInstanceGone() {
        String url = "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        contextRunner.withPropertyValues("spring.datasource.url=" + url).run(context -> { });
        assertThat(JdbcClient.create(new DriverManagerDataSource(url, "sa", "")).sql("SELECT COUNT(*) FROM reversible_instances")
                .query(Integer.class).single()).isZero();
    }

    @Test
    void runWithoutReversibleJdbcShouldNotCreateTheJournal() {
        contextRunner.withClassLoader(new FilteredClassLoader(JdbcJournal.class)).run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(SagaJournal.class).doesNotHaveBean(JournalLifecycle.class);
        });
    }

    @Test
    void runWhenDisabledShouldNotCreateTheJournal() {
        contextRunner.withPropertyValues("reversible.jdbc.enabled=false").run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(SagaJournal.class).doesNotHaveBean(JdbcJournal.class);
        });
    }

    @Test
    void runWhenReversibleIsDisabledShouldNotCreateTheJournal() {
        contextRunner.withPropertyValues("reversible.enabled=false").run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(JdbcJournal.class);
        });
    }

    @Test
    void runWithoutDataSourceShouldNotCreateTheJournal() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ReversibleAutoConfiguration.class, ReversibleJdbcAutoConfiguration.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(JdbcJournal.class));
    }

    @Test
    void runWithMissingSchemaAndInitializationNeverShouldFailNamingTheScript() {
        contextRunner.withPropertyValues("reversible.jdbc.initialize-schema=never").run(context -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = new JournalSchemaFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription()).contains("classpath:dev/reversible/jdbc/schema-h2.sql");
            assertThat(analysis.getAction()).contains("reversible.jdbc.initialize-schema=always");
            assertThat(analysis.getCause()).isInstanceOf(JournalSchemaException.class);
        });
    }

    @Test
    void runShouldBindTheProperties() {
        contextRunner.withPropertyValues("reversible.jdbc.completed=keep", "reversible.jdbc.instance-timeout=45s",
                "reversible.jdbc.retry.max-attempts=2").run(context -> {
            JdbcJournal journal = context.getBean(JdbcJournal.class);
            assertThat(journal.settings().completedSagas()).isEqualTo(CompletedSagas.KEEP);
            assertThat(journal.settings().instanceTimeout()).hasSeconds(45);
            assertThat(journal.settings().retry().maxAttempts()).isEqualTo(2);
        });
    }

    @Test
    void runWithAReversibleDataSourceShouldPutTheJournalThere() {
        String journalUrl = "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        String applicationUrl = "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ReversibleAutoConfiguration.class, ReversibleJdbcAutoConfiguration.class))
                .withPropertyValues("reversible.jdbc.initialize-schema=always")
                .withBean("applicationDataSource", DataSource.class, () -> DataSourceBuilder.create().url(applicationUrl).build(),
                        definition -> definition.setPrimary(true))
                .withUserConfiguration(JournalDataSourceConfig.class)
                .withPropertyValues("test.journal-url=" + journalUrl)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(tableCount(journalUrl)).isEqualTo(1);
                    assertThat(tableCount(applicationUrl)).isZero();
                });
    }

    private static int tableCount(String url) {
        return JdbcClient.create(new DriverManagerDataSource(url))
                .sql("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE UPPER(TABLE_NAME) = 'REVERSIBLE_INSTANCES'")
                .query(Integer.class).single();
    }

    @Configuration(proxyBeanMethods = false)
    static class JournalDataSourceConfig {

        @Bean
        @ReversibleDataSource
        DataSource journalDataSource(org.springframework.core.env.Environment environment) {
            return DataSourceBuilder.create().url(environment.getProperty("test.journal-url")).build();
        }
    }
}
