package dev.reversible.spring.jdbc;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import dev.reversible.jdbc.InstanceRegistry;
import dev.reversible.jdbc.JdbcJournal;
import dev.reversible.jdbc.JournalInstance;
import dev.reversible.jdbc.JournalSchema;
import dev.reversible.jdbc.JournaledSaga;
import dev.reversible.jdbc.SagaJournal;
import dev.reversible.jdbc.StepStart;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two live instances (two application contexts on the local PostgreSQL) recover the 500 unfinished sagas
 * of a dead instance at the same time: every saga is compensated, every step exactly once (a unique key on
 * the side effects; 1,500 handler calls, no more), and both instances took part — forced, not hoped for:
 * claims are small (5 sagas) and the first compensation of each instance waits on a barrier that only
 * opens once the other has claimed a batch too. Skipped, with the reason printed, without a server.
 */
class TwoInstanceRecoveryTests {

    private static final int SAGAS = 500;
    private static final int BATCH = 5;

    private LocalServer.Database schema;

    @BeforeEach
    void setUp() {
        CrashShop.reset();
        schema = LocalServer.POSTGRESQL.create();
        schema.execute(CrashShop.createTable("postgresql"));
    }

    @AfterEach
    void dropSchema() {
        if (schema != null) {
            schema.close();
        }
    }

    @Test
    void fiveHundredSagasOfADeadInstanceAreEachCompensatedExactlyOnceByTwoInstancesRecoveringConcurrently() {
        // One connection, kept open: the orphans' 1,500 commits need no connection each.
        SingleConnectionDataSource dataSource = new SingleConnectionDataSource(schema.url(), schema.user(), "", true);
        JdbcClient jdbc = JdbcClient.create(dataSource);
        orphanSagas(dataSource);
        CyclicBarrier bothClaimed = new CyclicBarrier(2);
        Set<Object> waited = ConcurrentHashMap.newKeySet();
        CrashShop.beforeCompensation = bean -> {
            // The first compensation of each instance is ship's (the latest step) in its first claimed batch.
            if (bean instanceof CrashShop.Shipping && waited.add(bean)) {
                try {
                    bothClaimed.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
                    throw new IllegalStateException("the other instance never claimed a batch", e);
                }
            }
        };

        try {
            recoverWithTwoInstances(jdbc);
        } finally {
            dataSource.destroy();
        }
    }

    private void recoverWithTwoInstances(JdbcClient jdbc) {
        instance("alpha").run(alpha -> instance("beta").run(beta -> {
            await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> assertThat(jdbc.sql("SELECT COUNT(*) FROM reversible_sagas"
                    + " WHERE status = 'COMPENSATED'").query(Integer.class).single()).isEqualTo(SAGAS));

            assertThat(jdbc.sql("SELECT COUNT(*) FROM " + CrashShop.TABLE).query(Integer.class).single()).isEqualTo(3 * SAGAS);
            assertThat(jdbc.sql("SELECT COUNT(DISTINCT saga_id) FROM " + CrashShop.TABLE).query(Integer.class).single()).isEqualTo(SAGAS);
            assertThat(CrashShop.HANDLER_CALLS).as("handler calls, failed ones included").hasValue(3 * SAGAS);
            assertThat(jdbc.sql("SELECT COUNT(*) FROM reversible_steps WHERE status <> 'COMPENSATED'").query(Integer.class).single()).isZero();
            Map<String, Integer> claimedBy = jdbc.sql("SELECT owner_name, COUNT(*) AS sagas FROM reversible_sagas GROUP BY owner_name")
                    .query((rs, row) -> Map.entry(rs.getString("owner_name"), rs.getInt("sagas"))).list().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
            assertThat(claimedBy).containsOnlyKeys("alpha", "beta");
            assertThat(claimedBy.get("alpha")).isGreaterThanOrEqualTo(BATCH);
            assertThat(claimedBy.get("beta")).isGreaterThanOrEqualTo(BATCH);
            // Each side effect was written by the instance that holds its saga now: no saga changed hands midway.
            assertThat(jdbc.sql("SELECT COUNT(*) FROM " + CrashShop.TABLE + " c JOIN reversible_sagas s ON s.id = c.saga_id"
                    + " WHERE c.detail NOT LIKE '% by ' || s.owner_name").query(Integer.class).single()).isZero();
        }));
    }

    private ApplicationContextRunner instance(String name) {
        return JournalTestApp.runnerWith(schema.properties()).withUserConfiguration(CrashShop.Beans.class)
                .withPropertyValues("reversible.jdbc.initialize-schema=always", "reversible.jdbc.instance-name=" + name,
                        "reversible.jdbc.heartbeat-interval=100ms", "reversible.jdbc.instance-timeout=5s",
                        "reversible.jdbc.recovery-batch-size=" + BATCH);
    }

    /**
     * Writes {@link #SAGAS} sagas through the journal's API as a dead instance would have left them: reserve
     * and charge ended, ship started and never recorded as ended; then ages that instance's heartbeat by an
     * hour (on the database's clock).
     */
    private static void orphanSagas(DataSource dataSource) {
        new ResourceDatabasePopulator(new ByteArrayResource(JournalSchema.script("postgresql", "reversible_")
                .getBytes(StandardCharsets.UTF_8))).execute(dataSource);
        JdbcJournal journal = JdbcJournal.builder(dataSource).platform("postgresql").build();
        JournalInstance dead = new InstanceRegistry(journal).register("dead");
        SagaJournal sagas = new SagaJournal(journal, dead);
        for (int i = 0; i < SAGAS; i++) {
            JournaledSaga saga = sagas.begin("orphan-" + i, "Orders.place");
            saga.stepStarted(StepStart.of(0, -1, "stock", "reserve", "sku-" + i, 2));
            saga.stepCompleted(0, "R-sku-" + i + "-2");
            saga.stepStarted(StepStart.of(1, -1, "payments", "charge", "alice", 3000L));
            saga.stepCompleted(1, "C-alice");
            saga.stepStarted(StepStart.of(2, -1, "shipping", "ship", "sku-" + i));
        }
        JdbcClient.create(dataSource).sql("UPDATE reversible_instances SET heartbeat = heartbeat - INTERVAL '1 hour' WHERE id = ?")
                .param(dead.id()).update();
    }
}
