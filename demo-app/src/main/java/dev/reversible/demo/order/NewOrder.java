package dev.reversible.demo.order;

/**
 * A validated request to place an order.
 *
 * @param customer who pays
 * @param sku what they buy
 * @param quantity how many units (at least 1)
 * @param country where it ships, as a two-letter code
 */
public record NewOrder(String customer, String sku, int quantity, String country) {
}
