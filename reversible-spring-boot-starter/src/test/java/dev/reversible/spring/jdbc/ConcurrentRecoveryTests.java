package dev.reversible.spring.jdbc;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.sql.DataSource;

import dev.reversible.jdbc.InstanceRegistry;
import dev.reversible.jdbc.JdbcJournal;
import dev.reversible.jdbc.JournalInstance;
import dev.reversible.jdbc.JournalSchema;
import dev.reversible.jdbc.JournaledSaga;
import dev.reversible.jdbc.SagaJournal;
import dev.reversible.jdbc.StepEnd;
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
 * Recovery with {@code reversible.jdbc.recovery.concurrency}: the sagas of one claim are compensated several at
 * once — forced, not hoped for: the first compensation of {@value #CONCURRENCY} sagas waits on a barrier that
 * opens only when all of them run at the same time, on recovery's own threads — and still each step exactly once
 * (a unique key on the side effects, and the handler calls counted) and each saga in its own order (ship, charge,
 * reserve). A saga with nothing left to run (every step compensated, or undone by its transaction) ends
 * {@code COMPENSATED} without a handler call. On H2 here; on PostgreSQL in a subclass.
 */
class ConcurrentRecoveryTests {

    private static final int SAGAS = 12;
    private static final int CONCURRENCY = 4;

    private String[] database;
    private SingleConnectionDataSource dataSource;
    private JdbcClient jdbc;

    @BeforeEach
    void setUp() {
        CrashShop.reset();
        database = database();
        dataSource = new SingleConnectionDataSource(property(database, "spring.datasource.url"),
                property(database, "spring.datasource.username"), "", true);
        jdbc = JdbcClient.create(dataSource);
        new ResourceDatabasePopulator(new ByteArrayResource(JournalSchema.script(platform(), "reversible_")
                .getBytes(StandardCharsets.UTF_8))).execute(dataSource);
        jdbc.sql(CrashShop.createTable(platform())).update();
    }

    @AfterEach
    void closeConnection() {
        if (dataSource != null) {
            dataSource.destroy();
        }
    }

    /** @return the properties of a fresh database for one test, shared by the orphans' writer and the survivor */
    String[] database() {
        return new String[] { "spring.datasource.url=" + JournalTestApp.newDatabaseUrl(), "spring.datasource.username=sa" };
    }

    String platform() {
        return "h2";
    }

    @Test
    void sagasOfOneClaimAreCompensatedSeveralAtOnceEachStepOnceAndEachSagaInItsOwnOrder() {
        orphanSagas();
        CyclicBarrier allAtOnce = new CyclicBarrier(CONCURRENCY);
        Set<String> waited = ConcurrentHashMap.newKeySet();
        Set<String> threads = ConcurrentHashMap.newKeySet();
        CrashShop.beforeCompensation = bean -> {
            threads.add(Thread.currentThread().getName());
            // The first compensation of a saga is ship's: the first CONCURRENCY of them meet here, or time out.
            if (bean instanceof CrashShop.Shipping && waited.size() < CONCURRENCY && waited.add(Thread.currentThread().getName())) {
                try {
                    allAtOnce.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
                    throw new IllegalStateException(CONCURRENCY + " sagas were never compensated at once", e);
                }
            }
        };

        survivor().run(context -> {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(jdbc.sql("SELECT COUNT(*) FROM reversible_sagas"
                    + " WHERE status = 'COMPENSATED'").query(Integer.class).single()).isEqualTo(SAGAS + 2));

            assertThat(allAtOnce.isBroken()).isFalse();
            assertThat(threads).hasSize(CONCURRENCY).allMatch(name -> name.startsWith("reversible-recovery-"));
            assertThat(CrashShop.HANDLER_CALLS).as("handler calls").hasValue(3 * SAGAS);
            Map<String, List<String>> bySaga = new LinkedHashMap<>();
            jdbc.sql("SELECT saga_id, detail FROM " + CrashShop.TABLE + " ORDER BY seq").query(rs -> {
                String detail = rs.getString("detail");
                bySaga.computeIfAbsent(rs.getString("saga_id"), id -> new ArrayList<>()).add(detail.substring(0, detail.indexOf(" result")));
            });
            assertThat(bySaga).hasSize(SAGAS);
            assertThat(bySaga.values()).allSatisfy(order -> assertThat(order).containsExactly("ship #2", "charge #1", "reserve #0"));
            assertThat(jdbc.sql("SELECT COUNT(*) FROM reversible_steps WHERE status NOT IN ('COMPENSATED', 'UNDONE_BY_TRANSACTION')")
                    .query(Integer.class).single()).isZero();
            assertThat(jdbc.sql("SELECT COUNT(*) FROM reversible_compensations").query(Integer.class).single())
                    .as("one attempt row per compensated step").isEqualTo(3 * SAGAS + 2);
        });
    }

    @Test
    void oneAfterTheOtherOnTheRecoveryThreadByDefault() {
        orphanSagas();
        Set<String> threads = ConcurrentHashMap.newKeySet();
        CrashShop.beforeCompensation = bean -> threads.add(Thread.currentThread().getName());

        JournalTestApp.runnerWith(database).withUserConfiguration(CrashShop.Beans.class)
                .withPropertyValues("reversible.jdbc.initialize-schema=never", "reversible.jdbc.heartbeat-interval=1h",
                        "reversible.jdbc.instance-timeout=2h", "reversible.jdbc.instance-name=survivor")
                .run(context -> {
                    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(jdbc.sql("SELECT COUNT(*) FROM reversible_sagas"
                            + " WHERE status = 'COMPENSATED'").query(Integer.class).single()).isEqualTo(SAGAS + 2));
                    assertThat(threads).containsExactly("reversible-journal");
                    assertThat(CrashShop.HANDLER_CALLS).hasValue(3 * SAGAS);
                    assertThat(CrashShop.sideEffects(jdbc)).hasSize(3 * SAGAS);
                });
    }

    private ApplicationContextRunner survivor() {
        return JournalTestApp.runnerWith(database).withUserConfiguration(CrashShop.Beans.class)
                .withPropertyValues("reversible.jdbc.initialize-schema=never", "reversible.jdbc.heartbeat-interval=1h",
                        "reversible.jdbc.instance-timeout=2h", "reversible.jdbc.instance-name=survivor",
                        "reversible.jdbc.recovery.concurrency=" + CONCURRENCY);
    }

    /**
     * Writes {@link #SAGAS} sagas as an instance that then stopped would have left them — every step ended —
     * and two that need no handler: one whose steps were all compensated before the crash (only its end was not
     * written), one whose only step was undone by its transaction. Then the instance is gone: its sagas are
     * claimable at once, by the recovery round a survivor runs as it starts.
     */
    private void orphanSagas() {
        JdbcJournal journal = JdbcJournal.builder(dataSource).platform(platform()).build();
        InstanceRegistry instances = new InstanceRegistry(journal);
        JournalInstance dead = instances.register("dead");
        SagaJournal sagas = new SagaJournal(journal, dead);
        for (int i = 0; i < SAGAS; i++) {
            JournaledSaga saga = sagas.begin("orphan-" + i, "Orders.place");
            saga.stepStarted(StepStart.of(0, -1, "stock", "reserve", "sku-" + i, 2));
            saga.stepEnded(StepEnd.completed(0, "R-sku-" + i + "-2"));
            saga.stepStarted(StepStart.of(1, -1, "payments", "charge", "alice", 3000L));
            saga.stepEnded(StepEnd.completed(1, "C-alice"));
            saga.stepStarted(StepStart.of(2, -1, "shipping", "ship", "sku-" + i));
            saga.stepEnded(StepEnd.completed(2, "S-sku-" + i));
            saga.flush();
        }
        JournaledSaga undone = sagas.begin("all-undone", "Orders.place");
        undone.stepStarted(StepStart.of(0, -1, "stock", "reserve", "sku-u", 2));
        undone.stepEnded(StepEnd.completed(0, "R-sku-u-2"));
        undone.stepStarted(StepStart.of(1, -1, "payments", "charge", "alice", 3000L));
        undone.compensating("charge", new IllegalStateException("declined"));
        undone.compensated(1, 1);
        undone.compensated(0, 1);
        JournaledSaga joined = sagas.begin("joined", "Orders.place");
        joined.stepStarted(StepStart.of(0, -1, "stock", "reserve", "sku-j", 2).inCallerTransaction());
        instances.gone(dead);
    }

    private static String property(String[] properties, String name) {
        for (String property : properties) {
            if (property.startsWith(name + "=")) {
                return property.substring(name.length() + 1);
            }
        }
        return null;
    }
}
