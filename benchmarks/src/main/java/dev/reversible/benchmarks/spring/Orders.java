package dev.reversible.benchmarks.spring;

import dev.reversible.spring.annotation.ReversibleSaga;

/**
 * The callers: each runs {@code steps} calls of one kind of step. The reversible callers are sagas; the
 * others sit behind the same no-op advice as their steps (the aspect, or the interceptor), so every
 * variant pays for the same number of proxied calls and only the steps' advice differs.
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

    /** The same calls, every one observed by Micrometer's {@code ObservedAspect} (row 11), and the call itself too. */
    public static class ObservedCalls {

        private final ObservedInventory inventory;

        /** @param inventory the steps behind {@code ObservedAspect} */
        public ObservedCalls(ObservedInventory inventory) {
            this.inventory = inventory;
        }

        /**
         * @param steps how many steps to run
         * @return the sum of the steps' results
         */
        @io.micrometer.observation.annotation.Observed(name = "orders.place")
        public int placeOrder(int steps) {
            int sum = 0;
            for (int i = 0; i < steps; i++) {
                sum += inventory.reserve(i & 63);
            }
            return sum;
        }
    }

    /** The same calls, every one behind the no-op interceptor. */
    public static class NoOpInterceptors {

        private final InterceptedInventory inventory;

        /** @param inventory the steps behind the no-op interceptor */
        public NoOpInterceptors(InterceptedInventory inventory) {
            this.inventory = inventory;
        }

        /**
         * @param steps how many steps to run
         * @return the sum of the steps' results
         */
        @NoOpIntercepted
        public int placeOrder(int steps) {
            int sum = 0;
            for (int i = 0; i < steps; i++) {
                sum += inventory.reserve(i & 63);
            }
            return sum;
        }
    }

    /** A saga whose steps are asynchronous {@code @ReversibleAction}s, each waited for where it is called. */
    public static class ReversibleAsync {

        /** What {@link #placeOrderThenCancel} throws once its steps are done. */
        public static final String CANCELLED = "the order is cancelled after its steps";

        private final AsyncInventory inventory;

        /** @param inventory the asynchronous reversible steps */
        public ReversibleAsync(AsyncInventory inventory) {
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
                sum += inventory.reserve(i & 63).join();
            }
            return sum;
        }

        /**
         * Runs the steps, then fails: every step is compensated. Only the set-up calls it, to check that
         * asynchronous steps really are undone.
         * @param steps how many steps to run
         * @return never
         */
        @ReversibleSaga
        public int placeOrderThenCancel(int steps) {
            for (int i = 0; i < steps; i++) {
                inventory.reserve(i & 63).join();
            }
            throw new IllegalStateException(CANCELLED);
        }
    }

    /** The same asynchronous calls, every one behind the no-op aspect. */
    public static class NoOpAspectsAsync {

        private final AspectAsyncInventory inventory;

        /** @param inventory the asynchronous steps behind the no-op aspect */
        public NoOpAspectsAsync(AspectAsyncInventory inventory) {
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
                sum += inventory.reserve(i & 63).join();
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
