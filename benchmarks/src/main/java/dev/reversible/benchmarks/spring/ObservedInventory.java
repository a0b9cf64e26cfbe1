package dev.reversible.benchmarks.spring;

import io.micrometer.observation.annotation.Observed;

/**
 * The same step as {@link Inventory#reserve}, observed the way any Spring call is: {@code @Observed} behind
 * Micrometer's own {@code ObservedAspect} on the same {@code ObservationRegistry} — row (11)'s baseline.
 */
public class ObservedInventory {

    /**
     * @param quantity what to reserve
     * @return the quantity reserved
     */
    @Observed(name = "inventory.reserve")
    public int reserve(int quantity) {
        return quantity;
    }
}
