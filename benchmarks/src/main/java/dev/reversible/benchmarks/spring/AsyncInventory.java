package dev.reversible.benchmarks.spring;

import java.util.concurrent.CompletableFuture;

import dev.reversible.spring.annotation.Compensate;
import dev.reversible.spring.annotation.ReversibleAction;

/**
 * The asynchronous reversible step: an action returning an already completed future, and its
 * compensation, both doing no work — the price of an asynchronous step's bookkeeping, with no thread hop.
 */
public class AsyncInventory {

    /**
     * @param quantity what to reserve
     * @return the quantity reserved, already there
     */
    @ReversibleAction("reserveAsync")
    public CompletableFuture<Integer> reserve(int quantity) {
        return CompletableFuture.completedFuture(quantity);
    }

    /**
     * @param quantity what was reserved
     * @param reserved the action's result
     */
    @Compensate("reserveAsync")
    public void release(int quantity, Integer reserved) {
    }
}
