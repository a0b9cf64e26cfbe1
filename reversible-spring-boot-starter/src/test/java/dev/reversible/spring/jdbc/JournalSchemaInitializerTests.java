package dev.reversible.spring.jdbc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;

import dev.reversible.jdbc.JournalSchema;
import dev.reversible.jdbc.SagaStatus;
import dev.reversible.jdbc.StoredSaga;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.core.io.ByteArrayResource;
import org.springframework.jdbc.datasource.init.ScriptUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The journal's schema initializer: a journal that an earlier version of the library created is upgraded at
 * start-up (the full script, then the upgrade scripts) and keeps its sagas.
 */
class JournalSchemaInitializerTests {

    private final String url = JournalTestApp.newDatabaseUrl();

    @BeforeEach
    void reset() {
        JournalTestApp.reset();
    }

    @Test
    void aVersionOneJournalIsUpgradedAtStartUpAndKeepsItsStuckSaga() throws Exception {
        try (Connection connection = DriverManager.getConnection(url, "sa", "")) {
            ScriptUtils.executeSqlScript(connection, new ByteArrayResource(versionOneScript().getBytes(StandardCharsets.UTF_8)));
            connection.createStatement().execute("INSERT INTO reversible_sagas (id, name, status, owner_instance, owner_name,"
                    + " owner_epoch, started_at, updated_at, failed_step, error_class, error_message, recovered, attempts)"
                    + " VALUES ('v1-saga', 'OrderService.place', 'STUCK', 'gone', 'shop@old', 2, TIMESTAMP WITH TIME ZONE"
                    + " '2030-01-01 00:00:00Z', TIMESTAMP WITH TIME ZONE '2030-01-01 00:00:05Z', 'refund',"
                    + " 'java.lang.IllegalStateException', 'refunds down', FALSE, 3)");
            connection.createStatement().execute("INSERT INTO reversible_steps (saga_id, step_index, bean_name, action_name,"
                    + " arguments, status, attempts) VALUES ('v1-saga', 0, 'payments', 'charge', '[\"acct-1\",30]',"
                    + " 'COMPENSATION_FAILED', 2)");
        }

        JournalTestApp.runner(url).withUserConfiguration(JournalTestApp.Shop.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(JournalTestApp.jdbc(context).sql("SELECT version FROM reversible_schema_version").query(Integer.class).list())
                    .containsExactly(JournalSchema.VERSION);
            StoredSaga kept = context.getBean(SagaOperations.class).find("v1-saga").orElseThrow();
            assertThat(kept.status()).isEqualTo(SagaStatus.STUCK);
            assertThat(kept.lastError().message()).isEqualTo("refunds down");
            assertThat(kept.steps()).singleElement().satisfies(step -> {
                assertThat(step.actionName()).isEqualTo("charge");
                assertThat(step.attempts()).isEqualTo(2);
                assertThat(step.startedAt()).isNull();
                assertThat(step.compensations()).isEmpty();
            });
        });
    }

    @Test
    void aFreshJournalIsCreatedAtTheCurrentVersion() {
        JournalTestApp.runner(url).withUserConfiguration(JournalTestApp.Shop.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(JournalTestApp.jdbc(context).sql("SELECT version FROM reversible_schema_version").query(Integer.class).list())
                    .containsExactly(JournalSchema.VERSION);
            assertThat(JournalTestApp.jdbc(context).sql("SELECT COUNT(*) FROM reversible_compensations").query(Long.class).single())
                    .isZero();
        });
    }

    private static String versionOneScript() throws IOException {
        try (var in = JournalSchemaInitializerTests.class.getResourceAsStream("schema-v1-h2.sql")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

}
