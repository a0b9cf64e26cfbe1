package dev.reversible.spring.jdbc;

import java.util.List;

import javax.sql.DataSource;

import dev.reversible.spring.CompensationContext;
import dev.reversible.spring.annotation.Compensate;
import dev.reversible.spring.annotation.ReversibleAction;
import dev.reversible.spring.annotation.ReversibleSaga;
import dev.reversible.spring.annotation.StepRecord;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Transactional;

/**
 * {@link CrashShop}'s saga — reserve, charge, ship, under the same bean names — with steps whose work is one row of
 * {@link #WORK} written in their own {@code @Transactional}, recorded in that transaction
 * ({@code StepRecord.IN_TRANSACTION}): a crash before a step commits leaves neither its row nor its record. Each
 * compensation deletes its step's row and leaves its side effect in {@link CrashShop#TABLE} (unique per step), so
 * after recovery {@link #WORK} is empty exactly when every step that committed was compensated. The
 * {@link Mixed} variant records charge write-ahead (a transactional step that also calls something outside its
 * transaction must be declared so).
 */
final class InTransactionCrashShop {

    /** The steps' own work: one row per step that committed, deleted by its compensation. */
    static final String WORK = "crash_work";

    private InTransactionCrashShop() {
    }

    static String createWorkTable() {
        return "CREATE TABLE " + WORK + " (action VARCHAR(40) NOT NULL PRIMARY KEY, detail VARCHAR(100) NOT NULL)";
    }

    /** @return the actions whose work row is left, in name order */
    static List<String> work(JdbcClient jdbc) {
        return jdbc.sql("SELECT action FROM " + WORK + " ORDER BY action").query(String.class).list();
    }

    private static String instanceName(Environment environment) {
        return environment.getProperty("reversible.jdbc.instance-name", "application");
    }

    /** Every step recorded in its own transaction. */
    @Configuration(proxyBeanMethods = false)
    static class Beans {

        @Bean
        Stock stock(DataSource dataSource, Environment environment) {
            return new Stock(dataSource, instanceName(environment));
        }

        @Bean
        Charging payments(DataSource dataSource, Environment environment) {
            return new Payments(dataSource, instanceName(environment));
        }

        @Bean
        Shipping shipping(DataSource dataSource, Environment environment) {
            return new Shipping(dataSource, instanceName(environment));
        }

        @Bean
        Orders orders(Stock stock, Charging payments, Shipping shipping) {
            return new Orders(stock, payments, shipping);
        }
    }

    /** Reserve and ship recorded in their transactions, charge write-ahead. */
    @Configuration(proxyBeanMethods = false)
    static class Mixed extends Beans {

        @Override
        @Bean
        Charging payments(DataSource dataSource, Environment environment) {
            return new AheadPayments(dataSource, instanceName(environment));
        }
    }

    /** A step's work row, and the compensation that deletes it and leaves its side effect. */
    abstract static class Worker extends CrashShop.Compensated {

        private final JdbcClient jdbc;

        Worker(DataSource dataSource, String instance) {
            super(dataSource, instance);
            this.jdbc = JdbcClient.create(dataSource);
        }

        void work(String action, String detail) {
            jdbc.sql("INSERT INTO " + WORK + " (action, detail) VALUES (?, ?)").params(action, detail).update();
        }

        void undo(String action, CompensationContext context) {
            jdbc.sql("DELETE FROM " + WORK + " WHERE action = ?").param(action).update();
            record(action, context);
        }
    }

    public static class Stock extends Worker {

        Stock(DataSource dataSource, String instance) {
            super(dataSource, instance);
        }

        @ReversibleAction(record = StepRecord.IN_TRANSACTION)
        @Transactional
        public String reserve(String sku, int quantity) {
            CrashShop.FORWARDS.add("reserve");
            work("reserve", sku + " x" + quantity);
            CrashShop.reached(CrashPoint.RESERVE_STARTED);
            return "R-" + sku + "-" + quantity;
        }

        @Compensate("reserve")
        public void release(String sku, int quantity, String reservation, CompensationContext context) {
            undo("reserve", context);
        }
    }

    /** Charging, recorded one way or the other. */
    public abstract static class Charging extends Worker {

        Charging(DataSource dataSource, String instance) {
            super(dataSource, instance);
        }

        public abstract String charge(String account, long cents);

        String charged(String account, long cents) {
            CrashShop.FORWARDS.add("charge");
            work("charge", account + " " + cents);
            CrashShop.reached(CrashPoint.CHARGE_STARTED);
            return "C-" + account;
        }

        void refunded(CompensationContext context) {
            CrashShop.reached(CrashPoint.CHARGE_COMPENSATING);
            undo("charge", context);
        }
    }

    public static class Payments extends Charging {

        Payments(DataSource dataSource, String instance) {
            super(dataSource, instance);
        }

        @Override
        @ReversibleAction(record = StepRecord.IN_TRANSACTION)
        @Transactional
        public String charge(String account, long cents) {
            return charged(account, cents);
        }

        @Compensate("charge")
        public void refund(String account, long cents, String charge, CompensationContext context) {
            refunded(context);
        }
    }

    public static class AheadPayments extends Charging {

        AheadPayments(DataSource dataSource, String instance) {
            super(dataSource, instance);
        }

        @Override
        @ReversibleAction
        @Transactional
        public String charge(String account, long cents) {
            return charged(account, cents);
        }

        @Compensate("charge")
        public void refund(String account, long cents, String charge, CompensationContext context) {
            refunded(context);
        }
    }

    public static class Shipping extends Worker {

        Shipping(DataSource dataSource, String instance) {
            super(dataSource, instance);
        }

        @ReversibleAction(record = StepRecord.IN_TRANSACTION)
        @Transactional
        public String ship(String sku) {
            CrashShop.FORWARDS.add("ship");
            work("ship", sku);
            CrashShop.reached(CrashPoint.SHIP_STARTED);
            RuntimeException failure = CrashShop.shipFailure;
            if (failure != null) {
                throw failure;
            }
            return "S-" + sku;
        }

        @Compensate("ship")
        public void cancel(String sku, String shipment, CompensationContext context) {
            CrashShop.reached(CrashPoint.SHIP_COMPENSATING);
            undo("ship", context);
        }
    }

    public static class Orders {

        private final Stock stock;
        private final Charging payments;
        private final Shipping shipping;

        Orders(Stock stock, Charging payments, Shipping shipping) {
            this.stock = stock;
            this.payments = payments;
            this.shipping = shipping;
        }

        @ReversibleSaga
        public String place(String sku) {
            CrashShop.reached(CrashPoint.BEFORE_FIRST_STEP);
            stock.reserve(sku, 2);
            CrashShop.reached(CrashPoint.RESERVE_ENDED);
            payments.charge("alice", 3000);
            CrashShop.reached(CrashPoint.CHARGE_ENDED);
            String shipment = shipping.ship(sku);
            CrashShop.reached(CrashPoint.SHIP_ENDED);
            return shipment;
        }
    }
}
