package dev.reversible.test;

import java.time.Duration;

import dev.reversible.jdbc.JdbcJournal;
import dev.reversible.spring.autoconfigure.ReversibleAutoConfiguration;
import dev.reversible.spring.autoconfigure.ReversibleJdbcAutoConfiguration;
import dev.reversible.spring.jdbc.SagaRecovery;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class ReversibleTestAutoConfigurationTests {

    private final ApplicationContextRunner journalRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, ReversibleAutoConfiguration.class,
                    ReversibleJdbcAutoConfiguration.class, ReversibleTestAutoConfiguration.class))
            .withPropertyValues("spring.datasource.generate-unique-name=true");

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ReversibleAutoConfiguration.class, ReversibleTestAutoConfiguration.class));

    @Test
    void runWithTheStarterShouldHaveTheKitsBeans() {
        contextRunner.run(context -> assertThat(context).hasSingleBean(SagaRecorder.class).hasSingleBean(FailureInjector.class)
                .hasSingleBean(SagaVerifier.class).hasSingleBean(FailureInjectionAdvisor.class));
    }

    @Test
    void runWithoutTheJournalShouldHaveNoJournalReaderAndRecordSagasWithoutOne() {
        contextRunner.run(context -> assertThat(context).doesNotHaveBean(JournalReader.class));
    }

    @Test
    void runWithTheJournalShouldGiveTheRecorderAJournalReader() {
        journalRunner.run(context -> {
            assertThat(context).hasSingleBean(JournalReader.class);
            assertThat(context.getBean(SagaRecorder.class)).extracting("journal").isSameAs(context.getBean(JournalReader.class));
        });
    }

    @Test
    void runWithoutReversibleJdbcOnTheClassPathShouldHaveNoJournalReader() {
        journalRunner.withClassLoader(new FilteredClassLoader("dev.reversible.jdbc")).run(context -> assertThat(context)
                .hasNotFailed().hasSingleBean(SagaRecorder.class).doesNotHaveBean(JournalReader.class));
    }

    @Test
    void runWithTheJournalShouldRecordTheFixtureWithTheJournalsJsonAndCheckItThroughItsRecovery() {
        journalRunner.run(context -> {
            assertThat(context).hasSingleBean(JournalFixtureRecorder.class).hasSingleBean(JournalFixtureAdvisor.class)
                    .hasSingleBean(JournalFixtureCheck.class);
            assertThat(context.getBean(JournalFixtureRecorder.class)).extracting("json")
                    .isSameAs(context.getBean(JdbcJournal.class).json());
            assertThat(context.getBean(JournalFixtureCheck.class)).extracting("recovery").isSameAs(context.getBean(SagaRecovery.class));
        });
    }

    @Test
    void runWithoutReversibleJdbcOnTheClassPathShouldHaveNoJournalFixture() {
        journalRunner.withClassLoader(new FilteredClassLoader("dev.reversible.jdbc")).run(context -> assertThat(context)
                .hasNotFailed().doesNotHaveBean(JournalFixtureRecorder.class).doesNotHaveBean(JournalFixtureAdvisor.class)
                .doesNotHaveBean(JournalFixtureCheck.class));
    }

    @Test
    void runShouldBoundTheVerifiersWaitsByTheProperty() {
        contextRunner.withPropertyValues("reversible.test.await-timeout=3s")
                .run(context -> assertThat(context.getBean(SagaVerifier.class).timeout()).isEqualTo(Duration.ofSeconds(3)));
        contextRunner.run(context -> assertThat(context.getBean(SagaVerifier.class).timeout()).isEqualTo(SagaVerifier.DEFAULT_TIMEOUT));
    }

    @Test
    void runWhenReversibleIsDisabledShouldHaveNoKitBeans() {
        contextRunner.withPropertyValues("reversible.enabled=false").run(context -> assertThat(context)
                .doesNotHaveBean(SagaRecorder.class).doesNotHaveBean(FailureInjector.class).doesNotHaveBean(FailureInjectionAdvisor.class));
    }

    @Test
    void runWithAUserRecorderShouldBackOff() {
        SagaRecorder own = new SagaRecorder();
        contextRunner.withBean(SagaRecorder.class, () -> own).run(context -> assertThat(context.getBean(SagaRecorder.class)).isSameAs(own));
    }
}
