package dev.reversible.spring.jdbc;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.reversible.spring.CompensationContext;
import dev.reversible.spring.annotation.Compensate;
import dev.reversible.spring.annotation.ReversibleAction;
import dev.reversible.spring.annotation.ReversibleSaga;
import dev.reversible.spring.autoconfigure.ReversibleAutoConfiguration;
import dev.reversible.spring.autoconfigure.ReversibleJdbcAutoConfiguration;

import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;
import org.springframework.jdbc.core.simple.JdbcClient;

/** A three-step order saga on an H2 database of its own, shared by the journal's write-path and recovery tests. */
final class JournalTestApp {

    /** What ran, in order, across every context of a test: "reserve", "undo charge #1 result=C-1 failure=null", ... */
    static final List<String> CALLS = new CopyOnWriteArrayList<>();

    private JournalTestApp() {
    }

    /** @return a new in-memory H2 database name, kept open until the JVM ends so that a second context finds it */
    static String newDatabaseUrl() {
        return "jdbc:h2:mem:journal-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    }

    static ApplicationContextRunner runner(String url) {
        return runnerWith("spring.datasource.url=" + url);
    }

    /** @param databaseProperties {@code spring.datasource.*} (and schema initialization) of the database to use */
    static ApplicationContextRunner runnerWith(String... databaseProperties) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, ReversibleAutoConfiguration.class,
                        ReversibleJdbcAutoConfiguration.class))
                .withPropertyValues("spring.datasource.generate-unique-name=false")
                .withPropertyValues(databaseProperties);
    }

    static JdbcClient jdbc(org.springframework.context.ApplicationContext context) {
        return JdbcClient.create(context.getBean(javax.sql.DataSource.class));
    }

    /** The order saga and its steps. */
    @Configuration(proxyBeanMethods = false)
    static class Shop {

        @Bean
        Stock stock() {
            return new Stock();
        }

        @Bean
        Payments payments() {
            return new Payments();
        }

        @Bean
        Shipping shipping() {
            return new Shipping();
        }

        @Bean
        Orders orders(Stock stock, Payments payments, Shipping shipping) {
            return new Orders(stock, payments, shipping);
        }
    }

    /** A step on a prototype bean, compensated in memory only. */
    @Configuration(proxyBeanMethods = false)
    static class PrototypeStep {

        @Bean
        @Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
        Coupons coupons() {
            return new Coupons();
        }
    }

    static String undo(String action, CompensationContext context) {
        return "undo " + action + " #" + context.stepIndex() + " result=" + context.result() + " failure="
                + (context.failure() == null ? null : context.failure().getClass().getSimpleName());
    }

    public static class Stock {

        @ReversibleAction
        public String reserve(String sku, int quantity) {
            CALLS.add("reserve");
            return "R-" + sku + "-" + quantity;
        }

        @Compensate("reserve")
        public void release(String sku, int quantity, String reservation, CompensationContext context) {
            CALLS.add(undo("reserve", context));
        }
    }

    public static class Payments {

        /** Inside charge: lets a test look at the journal while a step runs. */
        static volatile Runnable duringCharge = () -> { };

        @ReversibleAction
        public String charge(String account, long cents) {
            CALLS.add("charge");
            duringCharge.run();
            return "C-" + account;
        }

        /** How many of the next refunds fail. */
        static final java.util.concurrent.atomic.AtomicInteger failingRefunds = new java.util.concurrent.atomic.AtomicInteger();

        /** At the start of refund: lets a test stop a JVM while a compensation runs. */
        static volatile Runnable duringRefund = () -> { };

        @Compensate("charge")
        public void refund(String account, long cents, String charge, CompensationContext context) {
            duringRefund.run();
            if (failingRefunds.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                CALLS.add("refund attempt " + context.attempt() + " failed");
                throw new IllegalStateException("payment provider down");
            }
            CALLS.add(undo("charge", context) + " attempt=" + context.attempt());
        }
    }

    public static class Shipping {

        /** Armed by a test: ship blocks until released (a JVM that never gets further). */
        static volatile CountDownLatch hold;
        static volatile CountDownLatch holding = new CountDownLatch(1);
        static volatile RuntimeException failure;

        @ReversibleAction
        public String ship(String sku) throws InterruptedException {
            CALLS.add("ship");
            CountDownLatch latch = hold;
            if (latch != null) {
                holding.countDown();
                latch.await(30, TimeUnit.SECONDS);
            }
            if (failure != null) {
                throw failure;
            }
            return "S-" + sku;
        }

        @Compensate("ship")
        public void cancel(String sku, String shipment, CompensationContext context) {
            CALLS.add(undo("ship", context));
        }
    }

    public static class Coupons {

        @ReversibleAction
        public String redeem(String code) {
            CALLS.add("redeem");
            return code;
        }

        @Compensate("redeem")
        public void restore(String code, CompensationContext context) {
            CALLS.add(undo("redeem", context));
        }
    }

    public static class Orders {

        private final Stock stock;
        private final Payments payments;
        private final Shipping shipping;

        Orders(Stock stock, Payments payments, Shipping shipping) {
            this.stock = stock;
            this.payments = payments;
            this.shipping = shipping;
        }

        @ReversibleSaga
        public String place(String sku) throws InterruptedException {
            stock.reserve(sku, 2);
            payments.charge("alice", 3000);
            return shipping.ship(sku);
        }
    }

    static void reset() {
        CALLS.clear();
        Payments.duringCharge = () -> { };
        Payments.failingRefunds.set(0);
        Payments.duringRefund = () -> { };
        Shipping.hold = null;
        Shipping.holding = new CountDownLatch(1);
        Shipping.failure = null;
    }
}
