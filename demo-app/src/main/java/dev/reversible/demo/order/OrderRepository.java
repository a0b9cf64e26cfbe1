package dev.reversible.demo.order;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

/**
 * The {@code orders} table. Its writes are the saga's own steps ({@link OrderBook}) and their compensations, so that
 * an order's row and its outcome are undone or kept together with the stock and the money; only
 * {@link #markCompensationFailed} runs after the saga, and only says that an operator has work to do.
 */
@Repository
class OrderRepository {

    private final JdbcClient jdbc;

    OrderRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    long insertPending(String reference, NewOrder order) {
        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql("INSERT INTO orders (reference, customer, sku, quantity, country, status) "
                        + "VALUES (:reference, :customer, :sku, :quantity, :country, :status)")
                .param("reference", reference)
                .param("customer", order.customer())
                .param("sku", order.sku())
                .param("quantity", order.quantity())
                .param("country", order.country())
                .param("status", OrderStatus.PENDING.name())
                .update(keys, "id");
        return keys.getKeyAs(Number.class).longValue();
    }

    Optional<Long> findIdByReference(String reference) {
        return jdbc.sql("SELECT id FROM orders WHERE reference = :reference").param("reference", reference).query(Long.class).optional();
    }

    /** @return whether the order was {@link OrderStatus#PENDING} and is now confirmed */
    boolean confirm(long orderId, BigDecimal amount) {
        return jdbc.sql("UPDATE orders SET status = :confirmed, amount = :amount WHERE id = :id AND status = :pending")
                .param("confirmed", OrderStatus.CONFIRMED.name())
                .param("amount", amount)
                .param("id", orderId)
                .param("pending", OrderStatus.PENDING.name())
                .update() > 0;
    }

    /** @return whether the order was confirmed and is {@link OrderStatus#PENDING} again, without an amount */
    boolean withdrawConfirmation(long orderId) {
        return jdbc.sql("UPDATE orders SET status = :pending, amount = NULL WHERE id = :id AND status = :confirmed")
                .param("pending", OrderStatus.PENDING.name())
                .param("id", orderId)
                .param("confirmed", OrderStatus.CONFIRMED.name())
                .update() > 0;
    }

    /** @return whether the order was not cancelled yet and now is */
    boolean cancel(long orderId) {
        return jdbc.sql("UPDATE orders SET status = :cancelled, amount = NULL WHERE id = :id AND status <> :cancelled")
                .param("cancelled", OrderStatus.CANCELLED.name())
                .param("id", orderId)
                .update() > 0;
    }

    /** Only a {@link OrderStatus#PENDING} order: a retried rollback may have cancelled it already. */
    void markCompensationFailed(long orderId) {
        jdbc.sql("UPDATE orders SET status = :failed WHERE id = :id AND status = :pending")
                .param("failed", OrderStatus.COMPENSATION_FAILED.name())
                .param("id", orderId)
                .param("pending", OrderStatus.PENDING.name())
                .update();
    }

    Optional<OrderRow> find(long orderId) {
        return jdbc.sql("SELECT id, customer, sku, quantity, country, status, amount FROM orders WHERE id = :id")
                .param("id", orderId)
                .query(OrderRepository::orderRow)
                .optional();
    }

    /**
     * Reads a row by its column names. Not {@code query(OrderRow.class)}: Spring's property mapper would look
     * {@code orderId} up as a column first, and H2 writes that failed lookup, with its stack trace, to the
     * database's trace file on every read.
     */
    private static OrderRow orderRow(ResultSet row, int rowNumber) throws SQLException {
        return new OrderRow(row.getLong("id"), row.getString("customer"), row.getString("sku"), row.getInt("quantity"),
                row.getString("country"), OrderStatus.valueOf(row.getString("status")), row.getBigDecimal("amount"));
    }

    record OrderRow(long orderId, String customer, String sku, int quantity, String country, OrderStatus status, BigDecimal amount) {
    }
}
