package dev.reversible.core;

import static dev.reversible.core.Failures.failureOf;
import static dev.reversible.core.Failures.thrownBy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * Rule 13: 100,000 steps and their rollback run without stack overflow. Not timed (the benchmarks
 * measure cost); each test must still finish well within a second or two.
 */
class ScaleTests {

    private static final int STEPS = 100_000;
    private static final IllegalStateException BOOM = new IllegalStateException("boom");

    /**
     * Checks the order of forwards and backwards with two counters instead of a log: forwards must come
     * in index order, backwards in exact reverse order, each exactly once.
     */
    private static final class Order {
        int nextForwards;
        int nextBackwards;
        int mistakes;

        Order(int steps) {
            this.nextBackwards = steps - 1;
        }

        synchronized void forwards(int index) {
            if (index != nextForwards) {
                mistakes++;
            }
            nextForwards++;
        }

        synchronized void backwards(int index) {
            if (index != nextBackwards) {
                mistakes++;
            }
            nextBackwards--;
        }

        synchronized void assertFullyUndone(int steps) {
            assertThat(mistakes).isZero();
            assertThat(nextForwards).isEqualTo(steps);
            assertThat(nextBackwards).isEqualTo(-1);
        }
    }

    private static final class Indexed implements Action<Integer> {
        private final Order order;
        private final int index;

        Indexed(Order order, int index) {
            this.order = order;
            this.index = index;
        }

        @Override
        public Integer forwards() {
            order.forwards(index);
            return index;
        }

        @Override
        public void backwards() {
            order.backwards(index);
        }

        @Override
        public String name() {
            return "step" + index;
        }
    }

    private static final class AsyncIndexed implements AsyncAction<Integer> {
        private final Order order;
        private final int index;
        private final ExecutorService compensationThread;

        AsyncIndexed(Order order, int index, ExecutorService compensationThread) {
            this.order = order;
            this.index = index;
            this.compensationThread = compensationThread;
        }

        @Override
        public CompletionStage<Integer> forwards() {
            order.forwards(index);
            return CompletableFuture.completedFuture(index);
        }

        @Override
        public CompletionStage<?> backwards() {
            if (compensationThread == null) {
                order.backwards(index);
                return CompletableFuture.completedFuture(null);
            }
            return CompletableFuture.runAsync(() -> order.backwards(index), compensationThread);
        }
    }

    @Test
    void hundredThousandSyncStepsRollBackInExactReverseOrderWithoutStackOverflow() {
        Order order = new Order(STEPS);

        Throwable thrown = thrownBy(() -> Reversible.execute(Reversible.gen(saga -> {
            for (int i = 0; i < STEPS; i++) {
                saga.run(new Indexed(order, i));
            }
            throw BOOM;
        })));

        assertThat(thrown).isSameAs(BOOM);
        order.assertFullyUndone(STEPS);
    }

    @Test
    void hundredThousandSyncStepsSucceedInOrder() throws Exception {
        Order order = new Order(STEPS);

        Integer last = Reversible.execute(Reversible.gen(saga -> {
            Integer result = null;
            for (int i = 0; i < STEPS; i++) {
                result = saga.run(new Indexed(order, i));
            }
            return result;
        }));

        assertThat(last).isEqualTo(STEPS - 1);
        assertThat(order.nextForwards).isEqualTo(STEPS);
        assertThat(order.nextBackwards).isEqualTo(STEPS - 1);   // nothing undone
    }

    @Test
    void hundredThousandStepsInAThousandNestedCompositesRollBackInExactReverseOrder() {
        Order order = new Order(STEPS);
        int perComposite = 100;
        SagaExecutor listened = Reversible.executor().listener(new SagaListener() { }).build();

        Throwable thrown = thrownBy(() -> listened.execute(Reversible.gen(saga -> {
            for (int c = 0; c < STEPS / perComposite; c++) {
                int first = c * perComposite;
                saga.run(Reversible.gen(inner -> {
                    for (int i = first; i < first + perComposite; i++) {
                        inner.run(new Indexed(order, i));
                    }
                    return null;
                }));
            }
            throw BOOM;
        })));

        assertThat(thrown).isSameAs(BOOM);
        order.assertFullyUndone(STEPS);
    }

    @Test
    void abortListsAHundredThousandPendingStepsInRollbackOrder() {
        Order order = new Order(STEPS);
        IllegalStateException undoFailed = new IllegalStateException("cannot undo");
        Action<Integer> lastStep = new Action<>() {
            @Override
            public Integer forwards() {
                throw BOOM;
            }

            @Override
            public void backwards() {
                throw undoFailed;
            }

            @Override
            public String name() {
                return "last";
            }
        };

        Throwable thrown = thrownBy(() -> Reversible.execute(Reversible.gen(saga -> {
            for (int i = 0; i < STEPS; i++) {
                saga.run(new Indexed(order, i));
            }
            return saga.run(lastStep);
        })));

        List<String> pending = ((CompensationFailedException) thrown).pending();
        assertThat(pending).hasSize(STEPS + 1);
        assertThat(pending.get(0)).isEqualTo("last");
        for (int i = 0; i < STEPS; i++) {
            if (!pending.get(i + 1).equals("step" + (STEPS - 1 - i))) {
                assertThat(pending.get(i + 1)).isEqualTo("step" + (STEPS - 1 - i));
            }
        }
        assertThat(order.nextBackwards).isEqualTo(STEPS - 1);   // ABORT: nothing else was undone
    }

    @Test
    void hundredThousandAsyncStepsWithCompletedStagesRollBackInExactReverseOrder() {
        Order order = new Order(STEPS);

        CompletableFuture<Object> future = Reversible.executeAsync(Reversible.genAsync(saga -> {
            for (int i = 0; i < STEPS; i++) {
                saga.run(new AsyncIndexed(order, i, null));
            }
            return CompletableFuture.failedFuture(BOOM);
        }));

        assertThat(failureOf(future)).isSameAs(BOOM);
        order.assertFullyUndone(STEPS);
    }

    @Test
    void hundredThousandChainedAsyncStepsRollBackInExactReverseOrder() {
        Order order = new Order(STEPS);

        CompletableFuture<Object> future = Reversible.executeAsync(Reversible.genAsync(saga -> {
            CompletionStage<?> chain = CompletableFuture.completedFuture(null);
            for (int i = 0; i < STEPS; i++) {
                int index = i;
                chain = chain.thenCompose(x -> saga.run(new AsyncIndexed(order, index, null)));
            }
            return chain.thenCompose(x -> CompletableFuture.failedFuture(BOOM));
        }));

        assertThat(failureOf(future)).isSameAs(BOOM);
        order.assertFullyUndone(STEPS);
    }

    @Test
    void hundredThousandAsyncAndSyncStepsMixedSucceedInOrder() {
        Order order = new Order(STEPS);

        CompletableFuture<Integer> future = Reversible.executeAsync(Reversible.genAsync(saga -> {
            CompletionStage<Integer> last = null;
            for (int i = 0; i < STEPS; i++) {
                last = i % 2 == 0 ? saga.run(new AsyncIndexed(order, i, null)) : saga.run(new Indexed(order, i));
            }
            return last;
        }));

        assertThat(future.join()).isEqualTo(STEPS - 1);
        assertThat(order.nextForwards).isEqualTo(STEPS);
        assertThat(order.mistakes).isZero();
    }

    @Test
    void twentyThousandCompensationsCompletingOnAnotherThreadRunInExactReverseOrder() throws InterruptedException {
        int steps = 20_000;
        Order order = new Order(steps);
        ExecutorService compensationThread = Executors.newSingleThreadExecutor();
        try {
            CompletableFuture<Object> future = Reversible.executeAsync(Reversible.genAsync(saga -> {
                for (int i = 0; i < steps; i++) {
                    saga.run(new AsyncIndexed(order, i, compensationThread));
                }
                return CompletableFuture.failedFuture(BOOM);
            }));

            await().atMost(Duration.ofSeconds(20)).until(future::isDone);
            assertThat(failureOf(future)).isSameAs(BOOM);
            order.assertFullyUndone(steps);
        } finally {
            compensationThread.shutdownNow();
            assertThat(compensationThread.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }
}
