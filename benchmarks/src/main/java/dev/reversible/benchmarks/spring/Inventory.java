package dev.reversible.benchmarks.spring;

import dev.reversible.spring.annotation.Compensate;
import dev.reversible.spring.annotation.ReversibleAction;

/** The reversible step: an action and its compensation, both doing no work. */
public class Inventory {

    /**
     * @param quantity what to reserve
     * @return the quantity reserved
     */
    @ReversibleAction("reserve")
    public int reserve(int quantity) {
        return quantity;
    }

    /**
     * @param quantity what was reserved
     * @param reserved the action's result
     */
    @Compensate("reserve")
    public void release(int quantity, Integer reserved) {
    }
}
