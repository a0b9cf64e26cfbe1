package dev.reversible.benchmarks.spring;

/** The same step as {@link Inventory#reserve}, behind the no-op interceptor instead. */
public class InterceptedInventory {

    /**
     * @param quantity what to reserve
     * @return the quantity reserved
     */
    @NoOpIntercepted
    public int reserve(int quantity) {
        return quantity;
    }
}
