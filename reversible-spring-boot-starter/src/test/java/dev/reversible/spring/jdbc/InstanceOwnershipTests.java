package dev.reversible.spring.jdbc;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import dev.reversible.jdbc.InstanceRegistry;
import dev.reversible.jdbc.JournalFencedException;
import dev.reversible.jdbc.JournalInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Who owns a saga, between two live application contexts on one database: ownership is decided on the
 * database's clock and fenced by the saga's owner epoch. An owner paused past the instance timeout (its
 * heartbeat stopped while one of its steps is blocked) loses its saga to another instance, which
 * compensates it; when the owner resumes, its journal writes fail fenced, change nothing, and it runs no
 * compensation of its own — every step is compensated once. An instance whose JVM clock is minutes off
 * neither steals a live owner's saga nor waits minutes for a dead one's. An instance whose recovery is blocked
 * in a handler keeps heartbeating, so no one claims the sagas it is compensating.
 */
class InstanceOwnershipTests {

    private final ExecutorService owners = Executors.newCachedThreadPool();
    private String[] database;
    private final CountDownLatch paused = new CountDownLatch(1);
    private final CountDownLatch resume = new CountDownLatch(1);

    @BeforeEach
    void setUp() {
        CrashShop.reset();
        database = database();
        CrashShop.duringCharge = () -> {
            paused.countDown();
            try {
                resume.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    @AfterEach
    void tearDown() {
        resume.countDown();
        owners.shutdownNow();
    }

    /** @return the {@code spring.datasource.*} properties of a fresh database holding the side-effect table */
    String[] database() {
        String url = JournalTestApp.newDatabaseUrl();
        JdbcClient.create(new org.springframework.jdbc.datasource.SimpleDriverDataSource(new org.h2.Driver(), url, "sa", ""))
                .sql(CrashShop.createTable("h2")).update();
        return new String[] { "spring.datasource.url=" + url };
    }

    /** An instance named {@code name}; {@code heartbeatInterval} 1h is an owner whose heartbeat stopped after start-up. */
    private ApplicationContextRunner instance(String name, String heartbeatInterval, String instanceTimeout) {
        return JournalTestApp.runnerWith(database).withUserConfiguration(CrashShop.Beans.class)
                .withPropertyValues("reversible.jdbc.instance-name=" + name,
                        "reversible.jdbc.heartbeat-interval=" + heartbeatInterval, "reversible.jdbc.instance-timeout=" + instanceTimeout);
    }

    @Test
    void ownerPausedPastTheTimeoutIsFencedWhenItResumesWritesNothingAndTheSagaIsCompensatedOnceByTheClaimer() {
        instance("owner", "1h", "2h").run(owner -> {
            CompletableFuture<String> saga = placeUntilPausedInCharge(owner);

            instance("claimer", "100ms", "1s").run(claimer -> {
                JdbcClient jdbc = JournalTestApp.jdbc(claimer);
                awaitSagaStatus(jdbc, "COMPENSATED");
                List<String> compensatedOnce = List.of("charge #1 result=null failure=StepOutcomeUnknownException by claimer",
                        "reserve #0 result=R-sku-7-2 failure=null by claimer");
                assertThat(CrashShop.sideEffects(jdbc)).containsExactlyElementsOf(compensatedOnce);
                List<Map<String, Object>> journalBefore = journalRows(jdbc);

                resume.countDown();
                Throwable thrown = failureOf(saga);

                assertThat(thrown).as("the resumed owner's next step start").isInstanceOf(JournalFencedException.class);
                assertThat(CrashShop.FORWARDS).as("ship never ran: its start was fenced").containsExactly("reserve", "charge");
                assertThat(CrashShop.sideEffects(jdbc)).as("the owner compensated nothing itself").containsExactlyElementsOf(compensatedOnce);
                assertThat(CrashShop.HANDLER_CALLS).hasValue(2);
                assertThat(journalRows(jdbc)).as("the owner's late writes changed nothing").isEqualTo(journalBefore);
                assertThat(jdbc.sql("SELECT owner_name FROM reversible_sagas").query(String.class).single()).isEqualTo("claimer");
            });
        });
    }

    @Test
    void instanceWhoseClockIsMinutesAheadStealsNoSagaOfALiveOwner() {
        MutableClock ahead = new MutableClock();
        ahead.advance(Duration.ofMinutes(10));
        instance("owner", "100ms", "5s").run(owner -> {
            CompletableFuture<String> saga = placeUntilPausedInCharge(owner);

            instance("skewed", "100ms", "5s").withBean(Clock.class, () -> ahead).run(skewed -> {
                JdbcClient jdbc = JournalTestApp.jdbc(skewed);
                // Were ownership on the JVM's clock, the owner's heartbeat would look ten minutes old here.
                assertThat(skewed.getBean(InstanceRegistry.class).deadInstances()).isEmpty();
                assertThat(skewed.getBean(SagaRecovery.class).recoverDeadInstancesSagas()).isZero();
                assertThat(jdbc.sql("SELECT status, owner_name, owner_epoch FROM reversible_sagas")
                        .query((rs, row) -> rs.getString(1) + " " + rs.getString(2) + " " + rs.getLong(3)).single()).isEqualTo("RUNNING owner 0");

                resume.countDown();
                assertThat(saga.get(30, TimeUnit.SECONDS)).isEqualTo("S-sku-7");
                assertThat(jdbc.sql("SELECT COUNT(*) FROM reversible_sagas").query(Integer.class).single()).as("completed, deleted").isZero();
                assertThat(CrashShop.sideEffects(jdbc)).isEmpty();
                assertThat(CrashShop.HANDLER_CALLS).hasValue(0);
            });
        });
    }

    @Test
    void instanceWhoseClockIsMinutesBehindClaimsADeadOwnersSagaOnceItsHeartbeatAgedOnTheDatabasesClock() {
        MutableClock behind = new MutableClock();
        behind.advance(Duration.ofMinutes(-10));
        instance("owner", "1h", "2h").run(owner -> {
            CompletableFuture<String> saga = placeUntilPausedInCharge(owner);

            instance("skewed", "100ms", "1s").withBean(Clock.class, () -> behind).run(skewed -> {
                JdbcClient jdbc = JournalTestApp.jdbc(skewed);
                awaitSagaStatus(jdbc, "COMPENSATED");

                assertThat(CrashShop.sideEffects(jdbc)).containsExactly("charge #1 result=null failure=StepOutcomeUnknownException by skewed",
                        "reserve #0 result=R-sku-7-2 failure=null by skewed");
                JournalInstance owned = owner.getBean(JournalInstance.class);
                assertThat(skewed.getBean(InstanceRegistry.class).deadInstances()).as("forgotten once its saga was taken")
                        .doesNotContain(owned);

                resume.countDown();
                assertThat(failureOf(saga)).isInstanceOf(JournalFencedException.class);
            });
        });
    }

    @Test
    void instanceKeepsHeartbeatingWhileItsRecoveryIsBlockedInAHandlerSoNoOneClaimsWhatItIsCompensating() {
        CountDownLatch inHandler = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CrashShop.beforeCompensation = bean -> {
            inHandler.countDown();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        instance("owner", "1h", "2h").run(owner -> {
            CompletableFuture<String> saga = placeUntilPausedInCharge(owner);

            instance("claimer", "100ms", "1s").run(claimer -> {
                JdbcClient jdbc = JournalTestApp.jdbc(claimer);
                assertThat(inHandler.await(30, TimeUnit.SECONDS)).as("recovery is in charge's handler").isTrue();
                String id = claimer.getBean(JournalInstance.class).id();
                String before = heartbeat(jdbc, id);

                try {
                    // Two heartbeats later, the recovery thread still blocked: the heartbeat has a thread of its own.
                    await().atMost(Duration.ofSeconds(10)).until(() -> !heartbeat(jdbc, id).equals(before));
                    String after = heartbeat(jdbc, id);
                    await().atMost(Duration.ofSeconds(10)).until(() -> !heartbeat(jdbc, id).equals(after));
                    assertThat(claimer.getBean(InstanceRegistry.class).deadInstances()).extracting(JournalInstance::name)
                            .containsOnly("owner");
                } finally {
                    release.countDown();
                }
                awaitSagaStatus(jdbc, "COMPENSATED");
                assertThat(CrashShop.sideEffects(jdbc)).hasSize(2);
                resume.countDown();
                assertThat(failureOf(saga)).isInstanceOf(JournalFencedException.class);
            });
        });
    }

    private static String heartbeat(JdbcClient jdbc, String instanceId) {
        return jdbc.sql("SELECT heartbeat FROM reversible_instances WHERE id = ?").param(instanceId).query(String.class).single();
    }

    /** Runs the saga on another thread until charge is paused in its forwards. */
    private CompletableFuture<String> placeUntilPausedInCharge(ApplicationContext owner) throws InterruptedException {
        CompletableFuture<String> saga = CompletableFuture.supplyAsync(() -> owner.getBean(CrashShop.Orders.class).place("sku-7"), owners);
        assertThat(paused.await(30, TimeUnit.SECONDS)).as("charge is running").isTrue();
        return saga;
    }

    private static Throwable failureOf(CompletableFuture<?> saga) throws InterruptedException, java.util.concurrent.TimeoutException {
        try {
            saga.get(30, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    private static void awaitSagaStatus(JdbcClient jdbc, String status) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(jdbc.sql("SELECT status FROM reversible_sagas")
                .query(String.class).list()).containsExactly(status));
    }

    private static List<Map<String, Object>> journalRows(JdbcClient jdbc) {
        List<Map<String, Object>> rows = new java.util.ArrayList<>(jdbc.sql("SELECT * FROM reversible_sagas").query().listOfRows());
        rows.addAll(jdbc.sql("SELECT * FROM reversible_steps ORDER BY step_index").query().listOfRows());
        return rows;
    }
}
