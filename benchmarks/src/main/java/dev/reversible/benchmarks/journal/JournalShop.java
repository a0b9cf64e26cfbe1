package dev.reversible.benchmarks.journal;

import dev.reversible.spring.annotation.Compensate;
import dev.reversible.spring.annotation.ReversibleAction;
import dev.reversible.spring.annotation.ReversibleSaga;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;

/**
 * The demo's saga shape: reserve → charge → ship, each a {@code @ReversibleAction} that commits one row of
 * its own through {@code JdbcTemplate} in its own transaction ({@code @Transactional}, inside the starter's
 * advice: case 1 of docs/transactions.md); each compensation deletes its row in a transaction of
 * its own.
 */
public final class JournalShop {

    static final String TABLE = "CREATE TABLE bench_rows (order_id BIGINT NOT NULL, kind VARCHAR(16) NOT NULL, PRIMARY KEY (order_id, kind))";

    private JournalShop() {
    }

    /** One step: one row per order. */
    abstract static class Step {

        private final JdbcTemplate jdbc;
        private final String kind;

        Step(JdbcTemplate jdbc, String kind) {
            this.jdbc = jdbc;
            this.kind = kind;
        }

        long insert(long orderId) {
            jdbc.update("INSERT INTO bench_rows (order_id, kind) VALUES (?, ?)", orderId, kind);
            return orderId;
        }

        void delete(long orderId) {
            jdbc.update("DELETE FROM bench_rows WHERE order_id = ? AND kind = ?", orderId, kind);
        }
    }

    /** Reserves stock. */
    public static class Stock extends Step {

        Stock(JdbcTemplate jdbc) {
            super(jdbc, "reserve");
        }

        @ReversibleAction
        @Transactional
        public long reserve(long orderId) {
            return insert(orderId);
        }

        @Compensate("reserve")
        @Transactional
        public void release(long orderId) {
            delete(orderId);
        }
    }

    /** Charges the account. */
    public static class Payments extends Step {

        Payments(JdbcTemplate jdbc) {
            super(jdbc, "charge");
        }

        @ReversibleAction
        @Transactional
        public long charge(long orderId) {
            return insert(orderId);
        }

        @Compensate("charge")
        @Transactional
        public void refund(long orderId) {
            delete(orderId);
        }
    }

    /** Books the shipment. */
    public static class Shipping extends Step {

        Shipping(JdbcTemplate jdbc) {
            super(jdbc, "ship");
        }

        @ReversibleAction
        @Transactional
        public long ship(long orderId) {
            return insert(orderId);
        }

        @Compensate("ship")
        @Transactional
        public void cancel(long orderId) {
            delete(orderId);
        }
    }

    /** The saga. */
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
        public long place(long orderId) {
            return stock.reserve(orderId) + payments.charge(orderId) + shipping.ship(orderId);
        }
    }
}
