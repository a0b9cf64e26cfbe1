package dev.reversible.spring.jdbc;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.reversible.core.CompensationFailedException;
import dev.reversible.jdbc.InstanceRegistry;
import dev.reversible.jdbc.JournalInstance;
import dev.reversible.spring.annotation.Compensate;
import dev.reversible.spring.annotation.ReversibleAction;
import dev.reversible.spring.annotation.ReversibleSaga;
import dev.reversible.spring.jdbc.JournalTestApp.Orders;
import dev.reversible.spring.jdbc.JournalTestApp.Shipping;
import dev.reversible.spring.statistics.SagaStatistics;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * Recovery after a crash, simulated in one JVM: instance A runs a saga until its third step is running, then
 * "dies" (its instance row is gone, nothing of its memory is used again); instance B, a second application
 * context on the same database, claims the saga and compensates exactly the steps A journaled, once each, in
 * reverse order — the in-doubt step as a failed one, with no result and a {@link StepOutcomeUnknownException}.
 * A step whose bean no longer exists leaves the saga {@code STUCK}, nothing of it undone. Recovery rolls back with the
 * executor's own engine: its compensation retry and its rollback policy apply.
 */
class SagaRecoveryTests {

    /** The crashing instance: no heartbeat or recovery after start-up within a test. */
    private ApplicationContextRunner instanceA;

    /** The survivor: recovers every 50ms. */
    private ApplicationContextRunner instanceB;

    @BeforeEach
    void setUp() {
        JournalTestApp.reset();
        String[] database = database();
        instanceA = JournalTestApp.runnerWith(database)
                .withPropertyValues("reversible.jdbc.heartbeat-interval=1h", "reversible.jdbc.instance-timeout=2h");
        instanceB = JournalTestApp.runnerWith(database)
                .withPropertyValues("reversible.jdbc.heartbeat-interval=50ms", "reversible.jdbc.instance-timeout=10s",
                        "reversible.jdbc.instance-name=survivor");
    }

    /** @return the properties of a fresh database for one test, shared by both instances */
    String[] database() {
        return new String[] { "spring.datasource.url=" + JournalTestApp.newDatabaseUrl() };
    }

    @Test
    void crashedSagaIsCompensatedByAnotherInstanceOnceInReverseOrderWithTheInDoubtStepAsFailed() {
        instanceA.withUserConfiguration(JournalTestApp.Shop.class).run(a -> {
            Thread running = crashDuringShip(a, () -> a.getBean(Orders.class).place("sku-1"));

            instanceB.withUserConfiguration(JournalTestApp.Shop.class).run(b -> {
                awaitStatus(b, "COMPENSATED");

                assertThat(JournalTestApp.CALLS).containsExactly("reserve", "charge", "ship",
                        "undo ship #2 result=null failure=StepOutcomeUnknownException",
                        "undo charge #1 result=C-alice failure=null attempt=1",
                        "undo reserve #0 result=R-sku-1-2 failure=null");
                Map<String, Object> saga = JournalTestApp.jdbc(b).sql("SELECT owner_name, recovered FROM reversible_sagas").query().singleRow();
                assertThat(saga).containsEntry("OWNER_NAME", "survivor").containsEntry("RECOVERED", true);
                assertThat(JournalTestApp.jdbc(b).sql("SELECT action_name || ':' || status FROM reversible_steps ORDER BY step_index")
                        .query(String.class).list()).containsExactly("reserve:COMPENSATED", "charge:COMPENSATED", "ship:COMPENSATED");
                assertThat(b.getBean(SagaStatistics.class).totals().compensated()).isEqualTo(1);
            });

            // A wakes up: its saga completes in memory, and its late journal writes are fenced.
            Shipping.hold.countDown();
            running.join();
            assertThat(JournalTestApp.CALLS).hasSize(6);
        });
    }

    @Test
    void sagaWhoseStepBeanIsGoneAfterTheRestartIsStuckWithTheReasonAndNothingOfItUndone() {
        instanceA.withUserConfiguration(JournalTestApp.Shop.class, Legacy.Config.class).run(a -> {
            Thread running = crashDuringShip(a, () -> a.getBean(LegacyOrders.class).place("sku-2"));

            // Past the foreign grace at once: the bean is gone for good, not running on another release's instance.
            instanceB.withUserConfiguration(JournalTestApp.Shop.class).withPropertyValues("reversible.jdbc.recovery.foreign-grace=0s").run(b -> {
                awaitStatus(b, "STUCK");

                // Every step is resolved before anything runs: a saga this code cannot finish is not half undone.
                assertThat(JournalTestApp.CALLS).containsExactly("old", "ship");
                assertThat(JournalTestApp.jdbc(b).sql("SELECT error_message FROM reversible_sagas").query(String.class).single())
                        .contains("no bean 'legacy'");
                assertThat(JournalTestApp.jdbc(b).sql("SELECT action_name || ':' || status FROM reversible_steps ORDER BY step_index")
                        .query(String.class).list()).containsExactly("old:COMPLETED", "ship:UNKNOWN");
            });
            Shipping.hold.countDown();
            running.join();
        });
    }

    @Test
    void sagaWhoseArgumentsNoLongerReadIsStuckWithAReasonNamingTheStepTheBeanAndTheAction() {
        instanceA.withUserConfiguration(JournalTestApp.Shop.class).run(a -> {
            Thread running = crashDuringShip(a, () -> a.getBean(Orders.class).place("sku-7"));
            // As if a release had changed reserve's parameters: its journaled arguments no longer read.
            JournalTestApp.jdbc(a).sql("UPDATE reversible_steps SET arguments = '[\"sku-7\", \"two\"]' WHERE step_index = 0").update();

            instanceB.withUserConfiguration(JournalTestApp.Shop.class).withPropertyValues("reversible.jdbc.recovery.foreign-grace=0s").run(b -> {
                awaitStatus(b, "STUCK");

                assertThat(JournalTestApp.CALLS).containsExactly("reserve", "charge", "ship");
                assertThat(JournalTestApp.jdbc(b).sql("SELECT error_message FROM reversible_sagas").query(String.class).single())
                        .contains("step 0 (reserve)").contains("action 'reserve' of bean 'stock'").contains("no longer read");
            });
            Shipping.hold.countDown();
            running.join();
        });
    }

    @Test
    void compensationThatFailedInMemoryIsRetriedInTheBackgroundWhenItsBackoffHasPassedOnTheApplicationsClock() {
        MutableClock clock = new MutableClock();
        instanceB.withUserConfiguration(JournalTestApp.Shop.class).withBean(Clock.class, () -> clock)
                .withPropertyValues("reversible.jdbc.retry.initial=1m").run(b -> {
                    Shipping.failure = new IllegalStateException("no courier");
                    JournalTestApp.Payments.failingRefunds.set(1);

                    Throwable thrown = catchThrowable(() -> b.getBean(Orders.class).place("sku-3"));

                    assertThat(thrown).isInstanceOf(CompensationFailedException.class).hasCause(Shipping.failure);
                    JdbcClient jdbc = JournalTestApp.jdbc(b);
                    assertThat(jdbc.sql("SELECT status FROM reversible_sagas").query(String.class).single()).isEqualTo("COMPENSATING");
                    assertThat(jdbc.sql("SELECT action_name || ':' || status FROM reversible_steps ORDER BY step_index").query(String.class)
                            .list()).containsExactly("reserve:COMPLETED", "charge:COMPENSATION_FAILED", "ship:COMPENSATED");

                    clock.advance(Duration.ofMinutes(2));
                    awaitStatus(b, "COMPENSATED");

                    assertThat(JournalTestApp.CALLS).containsExactly("reserve", "charge", "ship",
                            "undo ship #2 result=null failure=IllegalStateException",
                            "refund attempt 1 failed",
                            "undo charge #1 result=C-alice failure=null attempt=2",
                            "undo reserve #0 result=R-sku-3-2 failure=null");
                });
    }

    @Test
    void sagaWithAStepOnAPrototypeBeanIsStuckAfterACrashAsNotASingleton() {
        instanceA.withUserConfiguration(JournalTestApp.Shop.class, JournalTestApp.PrototypeStep.class, CouponOrders.Config.class).run(a -> {
            Thread running = crashDuringShip(a, () -> a.getBean(CouponOrders.class).place("sku-4"));

            instanceB.withUserConfiguration(JournalTestApp.Shop.class, JournalTestApp.PrototypeStep.class).run(b -> {
                awaitStatus(b, "STUCK");

                assertThat(JournalTestApp.CALLS).containsExactly("redeem", "ship",
                        "undo ship #1 result=null failure=StepOutcomeUnknownException");
                assertThat(JournalTestApp.jdbc(b).sql("SELECT error_message FROM reversible_sagas").query(String.class).single())
                        .contains("not a singleton");
            });
            Shipping.hold.countDown();
            running.join();
        });
    }

    @Test
    void recoveredSagaGetsTheExecutorsCompensationRetryWithinOnePass() {
        instanceA.withUserConfiguration(JournalTestApp.Shop.class).run(a -> {
            Thread running = crashDuringShip(a, () -> a.getBean(Orders.class).place("sku-5"));
            JournalTestApp.Payments.failingRefunds.set(1);

            instanceB.withUserConfiguration(JournalTestApp.Shop.class)
                    .withPropertyValues("reversible.compensation.retry.max-attempts=2").run(b -> {
                        awaitStatus(b, "COMPENSATED");

                        // The refund's second attempt is the executor's in-memory retry, not a persistent one.
                        assertThat(JournalTestApp.CALLS).containsExactly("reserve", "charge", "ship",
                                "undo ship #2 result=null failure=StepOutcomeUnknownException",
                                "refund attempt 1 failed",
                                "undo charge #1 result=C-alice failure=null attempt=2",
                                "undo reserve #0 result=R-sku-5-2 failure=null");
                        assertThat(JournalTestApp.jdbc(b).sql("SELECT attempt || ':' || outcome FROM reversible_compensations"
                                + " WHERE step_index = 1 ORDER BY attempt").query(String.class).list())
                                .containsExactly("1:FAILED", "2:COMPENSATED");
                    });
            Shipping.hold.countDown();
            running.join();
        });
    }

    @Test
    void recoveredSagaUnderTheContinuePolicyUndoesEveryOtherStepAndWaitsForItsPersistentRetry() {
        instanceA.withUserConfiguration(JournalTestApp.Shop.class).run(a -> {
            Thread running = crashDuringShip(a, () -> a.getBean(Orders.class).place("sku-6"));
            JournalTestApp.Payments.failingRefunds.set(1);

            instanceB.withUserConfiguration(JournalTestApp.Shop.class)
                    .withPropertyValues("reversible.rollback-policy=continue", "reversible.jdbc.retry.initial=5m").run(b -> {
                        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(JournalTestApp.jdbc(b)
                                .sql("SELECT action_name || ':' || status FROM reversible_steps ORDER BY step_index").query(String.class)
                                .list()).containsExactly("reserve:COMPENSATED", "charge:COMPENSATION_FAILED", "ship:COMPENSATED"));

                        assertThat(JournalTestApp.CALLS).containsExactly("reserve", "charge", "ship",
                                "undo ship #2 result=null failure=StepOutcomeUnknownException",
                                "refund attempt 1 failed",
                                "undo reserve #0 result=R-sku-6-2 failure=null");
                        assertThat(JournalTestApp.jdbc(b).sql("SELECT status FROM reversible_sagas").query(String.class).single())
                                .isEqualTo("COMPENSATING");
                    });
            Shipping.hold.countDown();
            running.join();
        });
    }

    /** Runs the saga on another thread until ship holds, then makes instance A look dead: its row is gone. */
    static Thread crashDuringShip(ApplicationContext a, ThrowingRunnable saga) throws InterruptedException {
        Shipping.hold = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread running = new Thread(() -> {
            try {
                saga.run();
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "instance-a-saga");
        running.start();
        assertThat(Shipping.holding.await(10, TimeUnit.SECONDS)).isTrue();
        a.getBean(InstanceRegistry.class).gone(a.getBean(JournalInstance.class));
        return running;
    }

    static void awaitStatus(ApplicationContext context, String status) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(JournalTestApp.jdbc(context)
                .sql("SELECT status FROM reversible_sagas").query(String.class).list()).containsExactly(status));
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** A step on a bean the next version of the application no longer has. */
    public static class Legacy {

        @ReversibleAction
        public String old(String sku) {
            JournalTestApp.CALLS.add("old");
            return "O-" + sku;
        }

        @Compensate("old")
        public void undoOld(String sku) {
            JournalTestApp.CALLS.add("undo old");
        }

        @Configuration(proxyBeanMethods = false)
        static class Config {

            @Bean
            Legacy legacy() {
                return new Legacy();
            }

            @Bean
            LegacyOrders legacyOrders(Legacy legacy, Shipping shipping) {
                return new LegacyOrders(legacy, shipping);
            }
        }
    }

    public static class LegacyOrders {

        private final Legacy legacy;
        private final Shipping shipping;

        LegacyOrders(Legacy legacy, Shipping shipping) {
            this.legacy = legacy;
            this.shipping = shipping;
        }

        @ReversibleSaga
        public String place(String sku) throws InterruptedException {
            legacy.old(sku);
            return shipping.ship(sku);
        }
    }

    /** A saga whose first step runs on a prototype bean. */
    public static class CouponOrders {

        private final org.springframework.beans.factory.ObjectProvider<JournalTestApp.Coupons> coupons;
        private final Shipping shipping;

        CouponOrders(org.springframework.beans.factory.ObjectProvider<JournalTestApp.Coupons> coupons, Shipping shipping) {
            this.coupons = coupons;
            this.shipping = shipping;
        }

        @ReversibleSaga
        public String place(String sku) throws InterruptedException {
            coupons.getObject().redeem("WINTER");
            return shipping.ship(sku);
        }

        @Configuration(proxyBeanMethods = false)
        static class Config {

            @Bean
            CouponOrders couponOrders(org.springframework.beans.factory.ObjectProvider<JournalTestApp.Coupons> coupons, Shipping shipping) {
                return new CouponOrders(coupons, shipping);
            }
        }
    }
}
