package dev.reversible.benchmarks.spring;

import org.springframework.transaction.annotation.Transactional;

/** The same step as {@link Inventory#reserve}, in a transaction of its own instead. */
public class TransactionalInventory {

    /**
     * @param quantity what to reserve
     * @return the quantity reserved
     */
    @Transactional
    public int reserve(int quantity) {
        return quantity;
    }
}
