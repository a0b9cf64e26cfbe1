package dev.reversible.demo.order;

import java.math.BigDecimal;
import java.util.List;

/**
 * An order as {@code GET /orders/{id}} shows it, with what its rollback did when it failed.
 *
 * @param orderId the order's id
 * @param customer who pays
 * @param sku what they buy
 * @param quantity how many units
 * @param country where it ships
 * @param status where it stands
 * @param amount what the customer was charged, or {@code null} unless confirmed
 * @param failedStep the saga step that failed, or {@code null}
 * @param compensatedSteps the steps whose effects were undone, in the order they were undone
 */
public record Order(long orderId, String customer, String sku, int quantity, String country, OrderStatus status, BigDecimal amount,
        String failedStep, List<String> compensatedSteps) {
}
