package dev.reversible.core;

import static dev.reversible.core.Failures.thrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/**
 * Rule 15: with {@link CompensationMode#PARALLEL} a step's compensation starts once the compensations of every
 * step that started after it ended are done — overlapping steps are compensated concurrently, sequential ones
 * stay ordered, children before their parent — under ABORT and CONTINUE, with the report in rollback order.
 */
class ParallelCompensationTests {

    private final Calls calls = new Calls();
    private final IOException failure = new IOException("booking failed");

    /**
     * Three overlapping steps whose compensations each wait until all three have started: they can only complete
     * when they run concurrently (a sequential rollback would wait on the first one forever).
     */
    private final class Overlapping {
        final int count;
        final AtomicInteger arrived = new AtomicInteger();
        final CompletableFuture<Void> allArrived = new CompletableFuture<>();
        final List<CompletableFuture<String>> forwards = new ArrayList<>();

        Overlapping(int count) {
            this.count = count;
        }

        AsyncAction<String> step(String name, Throwable compensationFailure) {
            CompletableFuture<String> stage = new CompletableFuture<>();
            forwards.add(stage);
            return new AsyncAction<>() {
                @Override
                public CompletionStage<String> forwards() {
                    calls.add(name);
                    return stage;
                }

                @Override
                public CompletionStage<?> backwards() {
                    calls.add("undo " + name);
                    if (arrived.incrementAndGet() == count) {
                        allArrived.complete(null);
                    }
                    return compensationFailure == null ? allArrived
                            : allArrived.thenCompose(ignored -> CompletableFuture.failedFuture(compensationFailure));
                }

                @Override
                public String name() {
                    return name;
                }
            };
        }

        void completeAll() {
            forwards.forEach(stage -> stage.complete("done"));
        }
    }

    private CompositeAction<String> threeConcurrentThenOne(Overlapping overlapping, Throwable secondCompensationFails) {
        return Reversible.<String>gen(scope -> {
            scope.run(Step.ok(calls, "before"));
            CompletableFuture<?> a = scope.runAsync(overlapping.step("a", null)).toCompletableFuture();
            CompletableFuture<?> b = scope.runAsync(overlapping.step("b", secondCompensationFails)).toCompletableFuture();
            CompletableFuture<?> c = scope.runAsync(overlapping.step("c", null)).toCompletableFuture();
            overlapping.completeAll();
            CompletableFuture.allOf(a, b, c).join();
            scope.run(Step.ok(calls, "after"));
            throw failure;
        }).named("booking").compensation(CompensationMode.PARALLEL);
    }

    @Test
    void theStepAfterTheConcurrentOnesIsUndoneFirstThenTheThreeTogetherThenTheOneBefore() throws Exception {
        Overlapping overlapping = new Overlapping(3);
        RecordingListener listener = new RecordingListener();

        Throwable thrown = withinBound(() -> Reversible.executor().listener(listener).build().execute(threeConcurrentThenOne(overlapping, null)));

        assertThat(thrown).isSameAs(failure);
        List<String> log = calls.list();
        assertThat(log.subList(0, 5)).containsExactly("before", "a", "b", "c", "after");
        assertThat(log.get(5)).isEqualTo("undo after");
        assertThat(log.subList(6, 9)).containsExactlyInAnyOrder("undo a", "undo b", "undo c");
        assertThat(log.get(9)).isEqualTo("undo before");
        assertThat(log).hasSize(10);
        assertThat(listener.reports()).singleElement().satisfies(report -> {
            assertThat(report.compensated()).hasSize(5).startsWith("after").endsWith("before");
            assertThat(report.pending()).isEmpty();
        });
    }

    @Test
    void blockingCompensationsOfOverlappingStepsRunOnThreadsOfTheirOwn() throws Exception {
        CountDownLatch allStarted = new CountDownLatch(2);
        List<CompletableFuture<String>> stages = List.of(new CompletableFuture<>(), new CompletableFuture<>());
        CompositeAction<String> saga = Reversible.<String>gen(scope -> {
            for (int i = 0; i < 2; i++) {
                String name = "blocking" + i;
                CompletableFuture<String> stage = stages.get(i);
                scope.runAsync(new AsyncAction<String>() {
                    @Override
                    public CompletionStage<String> forwards() {
                        return stage;
                    }

                    @Override
                    public CompletionStage<?> backwards() {
                        allStarted.countDown();
                        try {
                            // Blocks its thread: passes only when the other compensation runs meanwhile, on another.
                            calls.add(name + (allStarted.await(5, TimeUnit.SECONDS) ? " overlapped" : " ran alone"));
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        return null;
                    }

                    @Override
                    public String name() {
                        return name;
                    }
                });
            }
            stages.forEach(stage -> stage.complete("done"));
            throw failure;
        }).compensation(CompensationMode.PARALLEL);

        assertThat(thrownBy(() -> Reversible.execute(saga))).isSameAs(failure);
        assertThat(calls.list()).containsExactlyInAnyOrder("blocking0 overlapped", "blocking1 overlapped");
    }

    @Test
    void underAbortAFailedCompensationLetsTheRunningOnesFinishAndStartsNoOther() throws Exception {
        Overlapping overlapping = new Overlapping(3);
        IOException refused = new IOException("b cannot be undone");

        Throwable thrown = withinBound(() -> Reversible.executor().build().execute(threeConcurrentThenOne(overlapping, refused)));

        assertThat(thrown).isInstanceOf(CompensationFailedException.class).hasCause(failure);
        CompensationFailedException incomplete = (CompensationFailedException) thrown;
        assertThat(incomplete.failures()).containsExactly(refused);
        assertThat(incomplete.pending()).containsExactly("b", "before");
        assertThat(calls.list()).doesNotContain("undo before").contains("undo a", "undo b", "undo c");
    }

    @Test
    void underContinueEveryCompensationRuns() throws Exception {
        Overlapping overlapping = new Overlapping(3);
        IOException refused = new IOException("b cannot be undone");

        Throwable thrown = withinBound(() -> Reversible.executor().rollbackPolicy(RollbackPolicy.CONTINUE).build()
                .execute(threeConcurrentThenOne(overlapping, refused)));

        CompensationFailedException incomplete = (CompensationFailedException) thrown;
        assertThat(incomplete.failures()).containsExactly(refused);
        assertThat(incomplete.pending()).containsExactly("b");
        assertThat(calls.list().get(calls.list().size() - 1)).isEqualTo("undo before");
    }

    @Test
    void sequentialStepsAndChildrenKeepTheirOrder() {
        Step p = Step.ok(calls, "p");
        CompositeAction<String> saga = Reversible.<String>gen(scope -> {
            scope.run(Step.ok(calls, "a"));
            scope.run(Reversible.action(context -> {
                calls.add("parent");
                scope.run(Step.ok(calls, "child1"));
                scope.run(Step.ok(calls, "child2"));
                return "parent";
            }, context -> calls.add("undo parent")));
            scope.run(Step.ok(calls, "b"));
            throw failure;
        }).compensation(CompensationMode.PARALLEL);

        assertThat(thrownBy(() -> Reversible.execute(saga))).isSameAs(failure);
        assertThat(calls.list()).containsExactly("a", "parent", "child1", "child2", "b",
                "undo b", "undo child2", "undo child1", "undo parent", "undo a");
        assertThat(p.backwardsCount).hasValue(0);
    }

    @Test
    void anAsynchronousSagaRollsBackInParallelWithoutBlocking() {
        Overlapping overlapping = new Overlapping(2);
        CompletableFuture<String> saga = Reversible.executeAsync(Reversible.<String>genAsync(scope -> {
            CompletionStage<String> a = scope.run(overlapping.step("a", null));
            CompletionStage<String> b = scope.run(overlapping.step("b", null));
            overlapping.completeAll();
            return a.thenCombine(b, (x, y) -> x + y).thenCompose(ab -> CompletableFuture.<String>failedFuture(failure));
        }).compensation(CompensationMode.PARALLEL));

        assertThat(StepTimeoutTests.failureOf(saga)).isSameAs(failure);
        assertThat(calls.list()).containsExactlyInAnyOrder("a", "b", "undo a", "undo b");
    }

    @Test
    void aHundredThousandSequentialStepsRollBackInParallelModeWithoutOverflowingTheStack() {
        int steps = 100_000;
        AtomicInteger undone = new AtomicInteger();
        List<Integer> order = new ArrayList<>();
        CompositeAction<Void> saga = Reversible.<Void>gen(scope -> {
            for (int i = 0; i < steps; i++) {
                int step = i;
                scope.run(Reversible.action(context -> step, context -> {
                    undone.incrementAndGet();
                    if (step >= steps - 3 || step < 2) {
                        order.add(step);
                    }
                }));
            }
            throw failure;
        }).compensation(CompensationMode.PARALLEL);

        assertThat(thrownBy(() -> Reversible.execute(saga))).isSameAs(failure);
        assertThat(undone).hasValue(steps);
        assertThat(order).containsExactly(steps - 1, steps - 2, steps - 3, 1, 0);
    }

    /** Runs a saga on another thread, waiting a bounded time: a rollback that never ends fails the test, not hangs it. */
    private static Throwable withinBound(Failures.ThrowingCall call) throws Exception {
        return CompletableFuture.supplyAsync(() -> thrownBy(call), task -> {
            Thread thread = new Thread(task, "parallel-compensation-test");
            thread.setDaemon(true);   // a rollback that never ends must not keep the test JVM alive
            thread.start();
        }).get(5, TimeUnit.SECONDS);
    }
}
