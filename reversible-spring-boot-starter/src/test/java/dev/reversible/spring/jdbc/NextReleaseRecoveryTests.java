package dev.reversible.spring.jdbc;

import java.time.Duration;

import dev.reversible.spring.CompensationContext;
import dev.reversible.spring.annotation.Compensate;
import dev.reversible.spring.annotation.ReversibleAction;
import dev.reversible.spring.jdbc.JournalTestApp.Orders;
import dev.reversible.spring.jdbc.JournalTestApp.Payments;
import dev.reversible.spring.jdbc.JournalTestApp.Shipping;
import dev.reversible.spring.metadata.ReversibleConfigurationException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A saga journaled by one release and recovered by the next, in one JVM: release 1 ({@link JournalTestApp.Shop})
 * runs the order saga until its third step runs and "dies"; release 2, a second context on the same database,
 * has changed its code — the stock bean's class was renamed (so its default bean name changed), or the action was
 * renamed with an alias — and still compensates exactly the journaled steps. Action names and aliases are unique
 * in an application: two actions claiming one stop start-up, naming both.
 */
class NextReleaseRecoveryTests {

    private ApplicationContextRunner release1;
    private ApplicationContextRunner release2;

    @BeforeEach
    void setUp() {
        JournalTestApp.reset();
        String database = "spring.datasource.url=" + JournalTestApp.newDatabaseUrl();
        release1 = JournalTestApp.runnerWith(database)
                .withPropertyValues("reversible.jdbc.heartbeat-interval=1h", "reversible.jdbc.instance-timeout=2h");
        release2 = JournalTestApp.runnerWith(database)
                .withPropertyValues("reversible.jdbc.heartbeat-interval=50ms", "reversible.jdbc.instance-timeout=10s",
                        "reversible.jdbc.instance-name=release-2");
    }

    @Test
    void aStepWhoseBeanWasRenamedIsFoundByItsActionName() throws Exception {
        release1.withUserConfiguration(JournalTestApp.Shop.class).run(a -> {
            Thread running = crashDuringShip(a);

            release2.withUserConfiguration(RenamedStockBean.class).run(b -> {
                awaitStatus(b, "COMPENSATED");

                assertThat(JournalTestApp.CALLS).containsExactly("reserve", "charge", "ship",
                        "undo ship #2 result=null failure=StepOutcomeUnknownException",
                        "undo charge #1 result=C-alice failure=null attempt=1",
                        "undo reserve #0 result=R-sku-9-2 failure=null");
            });
            Shipping.hold.countDown();
            running.join();
        });
    }

    @Test
    void aStepOfARenamedActionIsCompensatedByTheActionDeclaringItsOldNameAsAnAlias() throws Exception {
        release1.withUserConfiguration(JournalTestApp.Shop.class).run(a -> {
            Thread running = crashDuringShip(a);

            release2.withUserConfiguration(RenamedAction.class).run(b -> {
                awaitStatus(b, "COMPENSATED");

                assertThat(JournalTestApp.CALLS).containsExactly("reserve", "charge", "ship",
                        "undo ship #2 result=null failure=StepOutcomeUnknownException",
                        "undo charge #1 result=C-alice failure=null attempt=1",
                        "undo reserveStock #0 result=R-sku-9-2 failure=null");
            });
            Shipping.hold.countDown();
            running.join();
        });
    }

    @Test
    void aSagaThisReleaseCannotCompensateIsLeftToAnInstanceThatCanDuringTheForeignGrace() throws Exception {
        release1.withUserConfiguration(JournalTestApp.Shop.class, SagaRecoveryTests.Legacy.Config.class).run(a -> {
            Thread running = crashDuringShip(a, () -> a.getBean(SagaRecoveryTests.LegacyOrders.class).place("sku-10"));

            // Release 2 has no 'legacy' bean and no action 'old': within the grace it claims nothing, and says why.
            release2.withUserConfiguration(JournalTestApp.Shop.class).withPropertyValues("reversible.jdbc.recovery.foreign-grace=1h")
                    .run(b -> {
                        assertThat(b.getBean(SagaRecovery.class).recoverDeadInstancesSagas()).isZero();
                        assertThat(JournalTestApp.jdbc(b).sql("SELECT status FROM reversible_sagas").query(String.class).single())
                                .isEqualTo("RUNNING");
                        SagaOperations operations = b.getBean(SagaOperations.class);
                        dev.reversible.jdbc.StoredSaga saga = operations.list(null, 10).get(0);
                        assertThat(operations.unrecoverableReason(saga)).hasValueSatisfying(reason -> assertThat(reason)
                                .contains("step 0 (old)").contains("no bean 'legacy'"));
                        assertThat(b.getBean(StuckSagaCount.class).current().unrecoverable()).isEqualTo(1);

                        // An instance of release 1's code can: it claims the saga and compensates it.
                        release1.withUserConfiguration(JournalTestApp.Shop.class, SagaRecoveryTests.Legacy.Config.class)
                                .withPropertyValues("reversible.jdbc.instance-name=release-1-again").run(c -> {
                                    // Its rounds are an hour apart: run them here until one finds the row unlocked by release 2's.
                                    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                                        c.getBean(SagaRecovery.class).recoverDeadInstancesSagas();
                                        assertThat(JournalTestApp.jdbc(c).sql("SELECT status FROM reversible_sagas").query(String.class)
                                                .list()).containsExactly("COMPENSATED");
                                    });
                                    assertThat(JournalTestApp.CALLS).containsExactly("old", "ship",
                                            "undo ship #1 result=null failure=StepOutcomeUnknownException", "undo old");
                                });
                    });
            Shipping.hold.countDown();
            running.join();
        });
    }

    @Test
    void twoActionsClaimingOneNameStopStartUpNamingBoth() {
        new ApplicationContextRunner().withUserConfiguration(ClashingNames.class)
                .withPropertyValues("spring.datasource.url=" + JournalTestApp.newDatabaseUrl())
                .withConfiguration(org.springframework.boot.autoconfigure.AutoConfigurations.of(
                        dev.reversible.spring.autoconfigure.ReversibleAutoConfiguration.class))
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause().isInstanceOf(ReversibleConfigurationException.class)
                            .hasMessageContaining("action name 'reserve'").hasMessageContaining("ClashingStock.reserve")
                            .hasMessageMatching("(?s).*(of|by) Stock\\.reserve.*");
                });
    }

    @Test
    void anAliasOfAnotherActionsNameOnTheSameBeanStopsStartUp() {
        new ApplicationContextRunner().withBean(SelfClash.class)
                .withConfiguration(org.springframework.boot.autoconfigure.AutoConfigurations.of(
                        dev.reversible.spring.autoconfigure.ReversibleAutoConfiguration.class))
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause().isInstanceOf(ReversibleConfigurationException.class)
                            .hasMessageContaining("alias 'cancel'").hasMessageContaining("already the name of an action of this bean");
                });
    }

    /** Runs the order saga on another thread until ship holds, then makes release 1 look dead. */
    private static Thread crashDuringShip(ApplicationContext a) throws InterruptedException {
        return crashDuringShip(a, () -> a.getBean(Orders.class).place("sku-9"));
    }

    private static Thread crashDuringShip(ApplicationContext a, SagaRecoveryTests.ThrowingRunnable saga) throws InterruptedException {
        return SagaRecoveryTests.crashDuringShip(a, saga);
    }

    private static void awaitStatus(ApplicationContext context, String status) {
        SagaRecoveryTests.awaitStatus(context, status);
    }

    /** Release 2: the stock bean's class was renamed, so its default bean name is no longer {@code stock}. */
    @Configuration(proxyBeanMethods = false)
    static class RenamedStockBean {

        @Bean
        JournalTestApp.Stock warehouseStock() {
            return new JournalTestApp.Stock();
        }

        @Bean
        Payments payments() {
            return new Payments();
        }

        @Bean
        Shipping shipping() {
            return new Shipping();
        }
    }

    /** Release 2: {@code reserve} is now {@code reserveStock}, answering to its old name. */
    @Configuration(proxyBeanMethods = false)
    static class RenamedAction {

        @Bean
        StockV2 stock() {
            return new StockV2();
        }

        @Bean
        Payments payments() {
            return new Payments();
        }

        @Bean
        Shipping shipping() {
            return new Shipping();
        }
    }

    public static class StockV2 {

        @ReversibleAction(value = "reserveStock", aliases = "reserve")
        public String reserve(String sku, int quantity) {
            JournalTestApp.CALLS.add("reserveStock");
            return "R-" + sku + "-" + quantity;
        }

        @Compensate("reserveStock")
        public void release(String sku, int quantity, String reservation, CompensationContext context) {
            JournalTestApp.CALLS.add(JournalTestApp.undo("reserveStock", context));
        }
    }

    /** Two beans of different classes claiming the action name {@code reserve}. */
    @Configuration(proxyBeanMethods = false)
    static class ClashingNames {

        @Bean
        JournalTestApp.Stock stock() {
            return new JournalTestApp.Stock();
        }

        @Bean
        ClashingStock stockV2() {
            return new ClashingStock();
        }
    }

    public static class ClashingStock extends StockV2Base {
    }

    /** The action {@code reserve} again, declared on a superclass. */
    public static class StockV2Base {

        @ReversibleAction
        public String reserve(String sku, int quantity) {
            return sku;
        }

        @Compensate("reserve")
        public void release(String sku, int quantity) {
        }
    }

    public static class SelfClash {

        @ReversibleAction(aliases = "cancel")
        public String book(String sku) {
            return sku;
        }

        @Compensate("book")
        public void unbook(String sku) {
        }

        @ReversibleAction
        public String cancel(String sku) {
            return sku;
        }

        @Compensate("cancel")
        public void uncancel(String sku) {
        }
    }
}
