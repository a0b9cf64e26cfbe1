package dev.reversible.demo.inventory;

import java.math.BigDecimal;

/**
 * A product's stock and unit price, as {@code GET /inventory/{sku}} shows it.
 *
 * @param sku the product's id
 * @param stock units in stock and not reserved
 * @param price the unit price
 */
public record InventoryItem(String sku, int stock, BigDecimal price) {
}
