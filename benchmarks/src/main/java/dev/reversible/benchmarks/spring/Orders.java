package dev.reversible.benchmarks.spring;

import dev.reversible.spring.annotation.ReversibleSaga;

/**
 * The callers: each runs {@code steps} calls of one kind of step. The reversible caller is a saga; the
 * others sit behind the no-op aspect, so every variant pays for the same number of proxied calls and
 * only the steps' advice differs.
 */
public final class Orders {

    private Orders() {
    }

    /** A saga whose steps are {@code @ReversibleAction}s. */
    public static class Reversible {

        private final Inventory inventory;

        /** @param inventory the reversible steps */
        public Reversible(Inventory inventory) {
            this.inventory = inventory;
        }

        /**
         * @param steps how many steps to run
         * @return the sum of the steps' results
         */
        @ReversibleSaga
        public int placeOrder(int steps) {
            int sum = 0;
            for (int i = 0; i < steps; i++) {
                sum += inventory.reserve(i & 63);
            }
            return sum;
        }
    }

    /** The same calls, every one behind the no-op aspect. */
    public static class NoOpAspects {

        private final AspectInventory inventory;

        /** @param inventory the steps behind the no-op aspect */
        public NoOpAspects(AspectInventory inventory) {
            this.inventory = inventory;
        }

        /**
         * @param steps how many steps to run
         * @return the sum of the steps' results
         */
        @NoOpAdvised
        public int placeOrder(int steps) {
            int sum = 0;
            for (int i = 0; i < steps; i++) {
                sum += inventory.reserve(i & 63);
            }
            return sum;
        }
    }

    /** The same calls, each step in a transaction of its own. */
    public static class Transactional {

        private final TransactionalInventory inventory;

        /** @param inventory the transactional steps */
        public Transactional(TransactionalInventory inventory) {
            this.inventory = inventory;
        }

        /**
         * @param steps how many steps to run
         * @return the sum of the steps' results
         */
        @NoOpAdvised
        public int placeOrder(int steps) {
            int sum = 0;
            for (int i = 0; i < steps; i++) {
                sum += inventory.reserve(i & 63);
            }
            return sum;
        }
    }
}
