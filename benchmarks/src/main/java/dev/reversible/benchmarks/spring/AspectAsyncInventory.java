package dev.reversible.benchmarks.spring;

import java.util.concurrent.CompletableFuture;

/** The same step as {@link AsyncInventory#reserve}, behind the no-op aspect instead. */
public class AspectAsyncInventory {

    /**
     * @param quantity what to reserve
     * @return the quantity reserved, already there
     */
    @NoOpAdvised
    public CompletableFuture<Integer> reserve(int quantity) {
        return CompletableFuture.completedFuture(quantity);
    }
}
