package dev.reversible.demo.order;

import java.math.BigDecimal;

/**
 * The body of a successful {@code POST /orders}.
 *
 * @param orderId the new order's id
 * @param status {@link OrderStatus#CONFIRMED}
 * @param amount what the customer was charged
 */
public record PlacedOrder(long orderId, OrderStatus status, BigDecimal amount) {
}
