package dev.reversible.demo.order;

import java.math.BigDecimal;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

/** The {@code orders} table. Written outside the saga: an order row records the saga's outcome, it is not one of its steps. */
@Repository
class OrderRepository {

    private final JdbcClient jdbc;

    OrderRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    long insertPending(NewOrder order) {
        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql("INSERT INTO orders (customer, sku, quantity, country, status) VALUES (:customer, :sku, :quantity, :country, :status)")
                .param("customer", order.customer())
                .param("sku", order.sku())
                .param("quantity", order.quantity())
                .param("country", order.country())
                .param("status", OrderStatus.PENDING.name())
                .update(keys, "id");
        return keys.getKeyAs(Number.class).longValue();
    }

    void confirm(long orderId, BigDecimal amount) {
        jdbc.sql("UPDATE orders SET status = :status, amount = :amount WHERE id = :id")
                .param("status", OrderStatus.CONFIRMED.name())
                .param("amount", amount)
                .param("id", orderId)
                .update();
    }

    void updateStatus(long orderId, OrderStatus status) {
        jdbc.sql("UPDATE orders SET status = :status WHERE id = :id").param("status", status.name()).param("id", orderId).update();
    }

    Optional<OrderRow> find(long orderId) {
        return jdbc.sql("SELECT id AS order_id, customer, sku, quantity, country, status, amount FROM orders WHERE id = :id")
                .param("id", orderId)
                .query(OrderRow.class)
                .optional();
    }

    record OrderRow(long orderId, String customer, String sku, int quantity, String country, OrderStatus status, BigDecimal amount) {
    }
}
