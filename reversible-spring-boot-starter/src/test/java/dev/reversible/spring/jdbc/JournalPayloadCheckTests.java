package dev.reversible.spring.jdbc;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.reversible.jdbc.InstanceRegistry;
import dev.reversible.jdbc.JournalInstance;
import dev.reversible.spring.annotation.Compensate;
import dev.reversible.spring.annotation.ReversibleAction;
import dev.reversible.spring.annotation.ReversibleSaga;
import dev.reversible.spring.diagnostics.ReversibleConfigurationFailureAnalyzer;
import dev.reversible.spring.jdbc.JournalTestApp.Shipping;
import dev.reversible.spring.metadata.ReversibleConfigurationException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * The start-up check of journaled payloads: an action whose parameter the journal could not read back after
 * a crash stops start-up naming the bean, the method and the parameter; {@code @ReversibleAction(durable = false)}
 * opts out (compensated in memory, its saga {@code STUCK} "not durable" after a crash); ordinary parameter types
 * pass.
 */
class JournalPayloadCheckTests {

    private final String url = JournalTestApp.newDatabaseUrl();
    private final ApplicationContextRunner runner = JournalTestApp.runner(url);

    @BeforeEach
    void reset() {
        JournalTestApp.reset();
    }

    @Test
    void actionWithAParameterTheJournalCannotReadBackStopsStartUpNamingBeanMethodAndParameter() {
        runner.withBean("wallet", Wallet.class, Wallet::new).run(context -> {
            assertThat(context).hasFailed();
            Throwable failure = context.getStartupFailure();
            assertThat(failure).isInstanceOf(ReversibleConfigurationException.class)
                    .hasMessageStartingWith("Bean 'wallet' (" + Wallet.class.getName() + "), method pay(String, PaymentMethod): "
                            + "@ReversibleAction 'pay': parameter 1 'method' (" + PaymentMethod.class.getTypeName() + ") cannot be journaled")
                    .hasMessageContaining("abstract types")
                    .hasMessageContaining("@ReversibleAction(durable = false)");
            FailureAnalysis analysis = new ReversibleConfigurationFailureAnalyzer().analyze(failure);
            assertThat(analysis.getDescription()).contains("parameter 1 'method'");
            assertThat(analysis.getAction()).contains("bean 'wallet'");
        });
    }

    @Test
    void resultTheHandlerTakesIsCheckedToo() {
        runner.withBean("vouchers", Vouchers.class, Vouchers::new).run(context -> assertThat(context.getStartupFailure())
                .isInstanceOf(ReversibleConfigurationException.class)
                .hasMessageContaining("Bean 'vouchers'")
                .hasMessageContaining("the result its @Compensate handler takes (" + PaymentMethod.class.getTypeName() + ")"));
    }

    @Test
    void ordinaryParameterTypesPass() {
        runner.withBean("ledger", Ledger.class, Ledger::new).run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void withoutTheJournalNothingIsChecked() {
        runner.withPropertyValues("reversible.jdbc.enabled=false").withBean("wallet", Wallet.class, Wallet::new)
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void notDurableActionStartsIsCompensatedInMemoryAndJournaledWithoutItsArguments() {
        runner.withUserConfiguration(JournalTestApp.Shop.class, Config.class).run(context -> {
            Shipping.failure = new IllegalStateException("no courier");

            Throwable thrown = catchThrowable(() -> context.getBean(Checkout.class).pay("sku-1"));

            assertThat(thrown).isSameAs(Shipping.failure);
            assertThat(JournalTestApp.CALLS).containsExactly("pay card-1", "ship", "undo ship #1 result=null failure=IllegalStateException",
                    "refund card-1");
            List<Map<String, Object>> steps = JournalTestApp.jdbc(context)
                    .sql("SELECT bean_name, action_name, arguments, status FROM reversible_steps ORDER BY step_index").query().listOfRows();
            assertThat(steps.get(0)).containsEntry("BEAN_NAME", JdbcStepJournal.NOT_DURABLE).containsEntry("ACTION_NAME", "pay")
                    .containsEntry("STATUS", "COMPENSATED");
            assertThat(steps.get(0).get("ARGUMENTS")).isIn(null, "[]");
        });
    }

    @Test
    void sagaWithANotDurableStepIsStuckAfterACrashAsNotDurable() {
        ApplicationContextRunner app = runner.withUserConfiguration(JournalTestApp.Shop.class, Config.class);
        app.withPropertyValues("reversible.jdbc.heartbeat-interval=1h", "reversible.jdbc.instance-timeout=2h").run(a -> {
            Shipping.hold = new CountDownLatch(1);
            Thread running = new Thread(() -> catchThrowable(() -> a.getBean(Checkout.class).pay("sku-2")), "instance-a-saga");
            running.start();
            assertThat(Shipping.holding.await(10, TimeUnit.SECONDS)).isTrue();
            a.getBean(InstanceRegistry.class).gone(a.getBean(JournalInstance.class));

            app.withPropertyValues("reversible.jdbc.heartbeat-interval=50ms", "reversible.jdbc.instance-timeout=10s").run(b -> {
                JdbcClient jdbc = JournalTestApp.jdbc(b);
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> jdbc.sql("SELECT status FROM reversible_sagas").query(String.class).list().equals(List.of("STUCK")));

                assertThat(jdbc.sql("SELECT error_message FROM reversible_sagas").query(String.class).single())
                        .contains("step 0 (pay)").contains("not durable");
                assertThat(JournalTestApp.CALLS).containsExactly("pay card-1", "ship",
                        "undo ship #1 result=null failure=StepOutcomeUnknownException");
            });
            Shipping.hold.countDown();
            running.join();
        });
    }

    /** Nothing tells Jackson which class to make of it. */
    public interface PaymentMethod {
        String token();
    }

    /** A card, as the application holds it. */
    public record Card(String token) implements PaymentMethod {
    }

    public static class Wallet {

        @ReversibleAction
        public String pay(String order, PaymentMethod method) {
            return "P-" + order;
        }

        @Compensate("pay")
        public void refund(String order, PaymentMethod method) {
        }
    }

    public static class Vouchers {

        @ReversibleAction
        public PaymentMethod issue(String order) {
            return new Card("v-" + order);
        }

        @Compensate("issue")
        public void revoke(String order, PaymentMethod voucher) {
        }
    }

    public record Line(String sku, int quantity) {
    }

    public static class Ledger {

        @ReversibleAction
        public String book(UUID id, BigDecimal amount, Instant at, List<Line> lines, Map<String, Long> totals, Optional<String> note,
                Object anything, long cents, int[] codes, Card card) {
            return "B";
        }

        @Compensate("book")
        public void unbook(UUID id, BigDecimal amount, Instant at, List<Line> lines, Map<String, Long> totals, Optional<String> note,
                Object anything, long cents, int[] codes, Card card, String booking) {
        }
    }

    /** A step declared not durable, then the shop's shipping. */
    public static class Payments {

        @ReversibleAction(durable = false)
        public String pay(PaymentMethod method) {
            JournalTestApp.CALLS.add("pay " + method.token());
            return "P";
        }

        @Compensate("pay")
        public void refund(PaymentMethod method) {
            JournalTestApp.CALLS.add("refund " + method.token());
        }
    }

    public static class Checkout {

        private final Payments payments;
        private final Shipping shipping;

        Checkout(Payments payments, Shipping shipping) {
            this.payments = payments;
            this.shipping = shipping;
        }

        @ReversibleSaga
        public String pay(String sku) throws InterruptedException {
            payments.pay(new Card("card-1"));
            return shipping.ship(sku);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Config {

        @Bean
        Payments notDurablePayments() {
            return new Payments();
        }

        @Bean
        Checkout checkout(Payments payments, Shipping shipping) {
            return new Checkout(payments, shipping);
        }
    }
}
