package dev.reversible.benchmarks.journal;

import dev.reversible.spring.annotation.Compensate;
import dev.reversible.spring.annotation.ReversibleAction;
import dev.reversible.spring.annotation.ReversibleSaga;
import dev.reversible.spring.annotation.StepRecord;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;

/**
 * The demo's saga shape: reserve → charge → ship, each a {@code @ReversibleAction} (bean names {@code stock},
 * {@code payments}, {@code shipping}, as recovery finds them), in one of three {@link Shape}s: each step commits
 * one row of its own through {@code JdbcTemplate} in its own transaction ({@code @Transactional}), recorded
 * write-ahead or in that transaction ({@code StepRecord.IN_TRANSACTION}); or each step touches no database at all.
 * Each compensation deletes its row in a transaction of its own.
 */
public final class JournalShop {

    static final String TABLE = "CREATE TABLE bench_rows (order_id BIGINT NOT NULL, kind VARCHAR(16) NOT NULL, PRIMARY KEY (order_id, kind))";

    /** What the steps do, and where the journal records them. */
    public enum Shape {
        /** One row each, in its own transaction; recorded write-ahead (the default). */
        WRITE_AHEAD,
        /** One row each, in its own transaction; recorded in that transaction. */
        IN_TRANSACTION,
        /** No database work: the journal's cost per step, bare. */
        PLAIN
    }

    private JournalShop() {
    }

    /** Reserves stock. */
    public interface Stock {
        long reserve(long orderId);
    }

    /** Charges the account. */
    public interface Payments {
        long charge(long orderId);
    }

    /** Books the shipment. */
    public interface Shipping {
        long ship(long orderId);
    }

    /** @return the three steps of the shape */
    static Object[] steps(Shape shape, JdbcTemplate jdbc) {
        return switch (shape) {
            case WRITE_AHEAD -> new Object[] { new AheadStock(jdbc), new AheadPayments(jdbc), new AheadShipping(jdbc) };
            case IN_TRANSACTION -> new Object[] { new InTransactionStock(jdbc), new InTransactionPayments(jdbc), new InTransactionShipping(jdbc) };
            case PLAIN -> new Object[] { new PlainStock(), new PlainPayments(), new PlainShipping() };
        };
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

    public static class AheadStock extends Step implements Stock {

        AheadStock(JdbcTemplate jdbc) {
            super(jdbc, "reserve");
        }

        @Override
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

    public static class AheadPayments extends Step implements Payments {

        AheadPayments(JdbcTemplate jdbc) {
            super(jdbc, "charge");
        }

        @Override
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

    public static class AheadShipping extends Step implements Shipping {

        AheadShipping(JdbcTemplate jdbc) {
            super(jdbc, "ship");
        }

        @Override
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

    public static class InTransactionStock extends Step implements Stock {

        InTransactionStock(JdbcTemplate jdbc) {
            super(jdbc, "reserve");
        }

        @Override
        @ReversibleAction(record = StepRecord.IN_TRANSACTION)
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

    public static class InTransactionPayments extends Step implements Payments {

        InTransactionPayments(JdbcTemplate jdbc) {
            super(jdbc, "charge");
        }

        @Override
        @ReversibleAction(record = StepRecord.IN_TRANSACTION)
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

    public static class InTransactionShipping extends Step implements Shipping {

        InTransactionShipping(JdbcTemplate jdbc) {
            super(jdbc, "ship");
        }

        @Override
        @ReversibleAction(record = StepRecord.IN_TRANSACTION)
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

    public static class PlainStock implements Stock {

        @Override
        @ReversibleAction
        public long reserve(long orderId) {
            return orderId;
        }

        @Compensate("reserve")
        public void release(long orderId) {
        }
    }

    public static class PlainPayments implements Payments {

        @Override
        @ReversibleAction
        public long charge(long orderId) {
            return orderId;
        }

        @Compensate("charge")
        public void refund(long orderId) {
        }
    }

    public static class PlainShipping implements Shipping {

        @Override
        @ReversibleAction
        public long ship(long orderId) {
            return orderId;
        }

        @Compensate("ship")
        public void cancel(long orderId) {
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
