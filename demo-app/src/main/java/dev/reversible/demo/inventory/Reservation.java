package dev.reversible.demo.inventory;

import java.math.BigDecimal;

/**
 * Stock taken out for an order, with the unit price it was taken at.
 *
 * @param sku the product
 * @param quantity units reserved
 * @param unitPrice the price of one unit
 */
public record Reservation(String sku, int quantity, BigDecimal unitPrice) {

    /** @return what the reserved units cost: quantity × unit price */
    public BigDecimal amount() {
        return unitPrice.multiply(BigDecimal.valueOf(quantity));
    }
}
