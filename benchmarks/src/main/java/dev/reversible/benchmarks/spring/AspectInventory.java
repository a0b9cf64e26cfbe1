package dev.reversible.benchmarks.spring;

/** The same step as {@link Inventory#reserve}, behind the no-op aspect instead. */
public class AspectInventory {

    /**
     * @param quantity what to reserve
     * @return the quantity reserved
     */
    @NoOpAdvised
    public int reserve(int quantity) {
        return quantity;
    }
}
