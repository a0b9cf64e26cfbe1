package dev.reversible.core;

import static dev.reversible.core.Failures.failureOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An asynchronous child step still pending when its parent fails (rule 14, and the starter's "a saga ends
 * only after every step it started has ended"): it is never lost. A synchronous parent cannot wait for it
 * without blocking the thread that may complete it, so its completed children and then the parent itself
 * are undone at once, and the pending child is undone as soon as it settles; an asynchronous parent's
 * failure waits (without blocking) until its pending children have settled, so they are undone before it.
 * Either way the saga ends only after the child has ended, and its report includes it.
 */
class PendingChildOfFailedParentTests {

    private final Calls calls = new Calls();
    private final RecordingListener listener = new RecordingListener();
    private final SagaExecutor executor = Reversible.executor().listener(listener).build();
    private final ExecutorService sagaThread = Executors.newSingleThreadExecutor();
    private final IOException parentFailure = new IOException("parent failed");
    private final IOException childFailure = new IOException("child failed");
    private final CompletableFuture<String> child = new CompletableFuture<>();
    private final AtomicReference<Throwable> childOutcome = new AtomicReference<>();

    @AfterEach
    void stopThread() {
        sagaThread.shutdownNow();
    }

    /** A synchronous parent whose forwards starts the pending child through the executor's current scope, then fails. */
    private ParentStep syncParent(AsyncStep pendingChild) {
        return ParentStep.of(calls, "p", () -> executor.currentScope().runAsync(pendingChild)
                .whenComplete((value, failure) -> childOutcome.set(failure == null ? null : Failures.unwrap(failure))))
                .failing(parentFailure);
    }

    private AsyncStep pendingChild() {
        return AsyncStep.ok(calls, "c").forwardsReturning(child);
    }

    private CompletableFuture<String> executeOnItsOwnThread(SagaBody<String> body) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return executor.execute(Reversible.gen(body));
            } catch (Exception e) {
                throw Failures.<RuntimeException>rethrow(e);
            }
        }, sagaThread);
    }

    private void awaitCall(String call) {
        await().atMost(Duration.ofSeconds(5)).until(() -> calls.contains(call));
    }

    private void settleChild(boolean succeeds) {
        if (succeeds) {
            child.complete("c");
        } else {
            child.completeExceptionally(childFailure);
        }
    }

    // --- synchronous saga, synchronous parent ---

    @Test
    void syncSagaWhoseBodyHandledTheParentsFailureWaitsForThePendingChildAndUndoesItWhenItSucceedsLater() throws Exception {
        AsyncStep c = pendingChild();
        CompletableFuture<String> saga = executeOnItsOwnThread(scope -> {
            scope.run(Step.ok(calls, "a"));
            try {
                scope.run(syncParent(c));
            } catch (IOException handled) {
                calls.add("body got " + handled.getMessage());
            }
            calls.add("body returned");
            return "done";
        });

        awaitCall("body returned");
        assertThat(calls.list()).containsExactly("a", "p", "c", "undo p", "body got parent failed", "body returned");
        assertThat(saga).isNotDone();
        settleChild(true);

        assertThat(saga.get(5, TimeUnit.SECONDS)).isEqualTo("done");
        assertThat(calls.list()).containsExactly("a", "p", "c", "undo p", "body got parent failed", "body returned", "undo c");
        assertThat(c.backwardsCount).hasValue(1);
        assertThat(childOutcome.get()).isInstanceOf(CancellationException.class).hasMessageContaining("c");
        assertThat(listener.events().get(listener.events().size() - 1)).startsWith("sagaCompleted");
    }

    @Test
    void syncSagaWhoseBodyHandledTheParentsFailureWaitsForThePendingChildAndUndoesItOnceWhenItFailsLater() throws Exception {
        AsyncStep c = pendingChild();
        CompletableFuture<String> saga = executeOnItsOwnThread(scope -> {
            scope.run(Step.ok(calls, "a"));
            try {
                scope.run(syncParent(c));
            } catch (IOException handled) {
                calls.add("body got " + handled.getMessage());
            }
            calls.add("body returned");
            return "done";
        });

        awaitCall("body returned");
        assertThat(saga).isNotDone();
        settleChild(false);

        assertThat(saga.get(5, TimeUnit.SECONDS)).isEqualTo("done");
        assertThat(calls.list()).containsExactly("a", "p", "c", "undo p", "body got parent failed", "body returned", "undo c");
        assertThat(c.backwardsCount).hasValue(1);
        assertThat(childOutcome.get()).isSameAs(childFailure);
        assertThat(listener.events().get(listener.events().size() - 1)).startsWith("sagaCompleted");
    }

    @Test
    void syncSagaRollingBackForTheParentsFailureWaitsForThePendingChildThatSucceedsLaterAndReportsIt() throws Exception {
        AsyncStep c = pendingChild();
        CompletableFuture<String> saga = executeOnItsOwnThread(scope -> {
            scope.run(Step.ok(calls, "a"));
            return scope.run(syncParent(c));
        });

        awaitCall("undo p");
        assertThat(saga).isNotDone();
        assertThat(listener.reports()).isEmpty();
        settleChild(true);

        assertThat(saga).failsWithin(5, TimeUnit.SECONDS);
        assertThat(Failures.unwrap(failureOf(saga))).isSameAs(parentFailure);
        assertThat(calls.list()).containsExactly("a", "p", "c", "undo p", "undo c", "undo a");
        assertThat(c.backwardsCount).hasValue(1);
        assertThat(listener.reports()).singleElement().satisfies(report -> {
            assertThat(report.compensated()).containsExactly("p", "c", "a");
            assertThat(report.failedStep()).isEqualTo("p");
        });
    }

    @Test
    void syncSagaRollingBackForTheParentsFailureWaitsForThePendingChildThatFailsLater() throws Exception {
        AsyncStep c = pendingChild();
        CompletableFuture<String> saga = executeOnItsOwnThread(scope -> {
            scope.run(Step.ok(calls, "a"));
            return scope.run(syncParent(c));
        });

        awaitCall("undo p");
        assertThat(saga).isNotDone();
        settleChild(false);

        assertThat(saga).failsWithin(5, TimeUnit.SECONDS);
        assertThat(Failures.unwrap(failureOf(saga))).isSameAs(parentFailure);
        assertThat(calls.list()).containsExactly("a", "p", "c", "undo p", "undo c", "undo a");
        assertThat(c.backwardsCount).hasValue(1);
        assertThat(listener.reports()).singleElement().satisfies(report ->
                assertThat(report.compensated()).containsExactly("p", "c", "a"));
    }

    @Test
    void pendingChildWhoseLateCompensationFailsFailsTheSagaWithNothingLost() throws Exception {
        IOException undoFailure = new IOException("undo c failed");
        AsyncStep c = pendingChild().compensationFailing(undoFailure, 1);
        CompletableFuture<String> saga = executeOnItsOwnThread(scope -> {
            scope.run(Step.ok(calls, "a"));
            try {
                scope.run(syncParent(c));
            } catch (IOException handled) {
                calls.add("body got " + handled.getMessage());
            }
            return "done";
        });

        awaitCall("body got parent failed");
        settleChild(true);

        assertThat(saga).failsWithin(5, TimeUnit.SECONDS);
        Throwable thrown = Failures.unwrap(failureOf(saga));
        assertThat(thrown).isInstanceOf(CompensationFailedException.class).hasCause(parentFailure);
        CompensationFailedException incomplete = (CompensationFailedException) thrown;
        assertThat(incomplete.failures()).containsExactly(undoFailure);
        assertThat(incomplete.pending()).containsExactly("c", "a");   // ABORT: the first failed compensation stops the rollback
        assertThat(calls.list()).containsExactly("a", "p", "c", "undo p", "body got parent failed", "undo c");
        assertThat(childOutcome.get()).isInstanceOf(CompensationFailedException.class).hasCause(parentFailure);
    }

    @Test
    void pendingChildThatFailsLaterAndWhoseOwnCompensationFailsFailsTheSagaWithNothingLost() throws Exception {
        IOException undoFailure = new IOException("undo c failed");
        AsyncStep c = pendingChild().compensationFailing(undoFailure, 1);
        CompletableFuture<String> saga = executeOnItsOwnThread(scope -> {
            scope.run(Step.ok(calls, "a"));
            try {
                scope.run(syncParent(c));
            } catch (IOException handled) {
                calls.add("body got " + handled.getMessage());
            }
            return "done";
        });

        awaitCall("body got parent failed");
        settleChild(false);

        assertThat(saga).failsWithin(5, TimeUnit.SECONDS);
        Throwable thrown = Failures.unwrap(failureOf(saga));
        assertThat(thrown).isInstanceOf(CompensationFailedException.class).hasCause(childFailure);
        CompensationFailedException incomplete = (CompensationFailedException) thrown;
        assertThat(incomplete.failures()).containsExactly(undoFailure);
        assertThat(incomplete.pending()).containsExactly("c", "a");
        assertThat(calls.list()).containsExactly("a", "p", "c", "undo p", "body got parent failed", "undo c");
        assertThat(childOutcome.get()).isSameAs(thrown);
    }

    @Test
    void pendingChildWhoseLateCompensationFailsWhileTheSagaRollsBackForItsParentStopsThatRollbackUnderAbort() throws Exception {
        IOException undoFailure = new IOException("undo c failed");
        AsyncStep c = pendingChild().compensationFailing(undoFailure, 1);
        CompletableFuture<String> saga = executeOnItsOwnThread(scope -> {
            scope.run(Step.ok(calls, "a"));
            return scope.run(syncParent(c));
        });

        awaitCall("undo p");
        settleChild(true);

        assertThat(saga).failsWithin(5, TimeUnit.SECONDS);
        Throwable thrown = Failures.unwrap(failureOf(saga));
        assertThat(thrown).isInstanceOf(CompensationFailedException.class).hasCause(parentFailure);
        CompensationFailedException incomplete = (CompensationFailedException) thrown;
        assertThat(incomplete.failures()).containsExactly(undoFailure);
        assertThat(incomplete.pending()).containsExactly("c", "a");
        assertThat(calls.list()).containsExactly("a", "p", "c", "undo p", "undo c");
    }

    @Test
    void pendingChildWhoseLateCompensationFailsIsFoldedIntoAnotherFailureOfTheBody() throws Exception {
        IOException undoFailure = new IOException("undo c failed");
        IllegalStateException later = new IllegalStateException("later");
        AsyncStep c = pendingChild().compensationFailing(undoFailure, 1);
        CompletableFuture<String> saga = executeOnItsOwnThread(scope -> {
            scope.run(Step.ok(calls, "a"));
            try {
                scope.run(syncParent(c));
            } catch (IOException handled) {
                calls.add("body got " + handled.getMessage());
            }
            throw later;
        });

        awaitCall("body got parent failed");
        settleChild(true);

        assertThat(saga).failsWithin(5, TimeUnit.SECONDS);
        Throwable thrown = Failures.unwrap(failureOf(saga));
        assertThat(thrown).isInstanceOf(CompensationFailedException.class).hasCause(later);
        CompensationFailedException incomplete = (CompensationFailedException) thrown;
        assertThat(incomplete.failures()).containsExactly(undoFailure);
        assertThat(incomplete.pending()).containsExactly("c", "a");
        assertThat(calls.list()).containsExactly("a", "p", "c", "undo p", "body got parent failed", "undo c");
    }

    @Test
    void pendingChildWhoseLateCompensationFailsIsFoldedIntoTheBodysOwnIncompleteRollback() throws Exception {
        IOException undoFailure = new IOException("undo c failed");
        IOException laterFailure = new IOException("b failed");
        IOException undoLaterFailure = new IOException("undo b failed");
        AsyncStep c = pendingChild().compensationFailing(undoFailure, 1);
        CompletableFuture<String> saga = executeOnItsOwnThread(scope -> {
            scope.run(Step.ok(calls, "a"));
            try {
                scope.run(syncParent(c));
            } catch (IOException handled) {
                calls.add("body got " + handled.getMessage());
            }
            return scope.run(Step.ok(calls, "b").failing(laterFailure).compensationFailing(undoLaterFailure));
        });

        awaitCall("undo b");
        settleChild(true);

        assertThat(saga).failsWithin(5, TimeUnit.SECONDS);
        Throwable thrown = Failures.unwrap(failureOf(saga));
        assertThat(thrown).isInstanceOf(CompensationFailedException.class).hasCause(laterFailure);
        CompensationFailedException incomplete = (CompensationFailedException) thrown;
        assertThat(incomplete.failures()).containsExactly(undoLaterFailure, undoFailure);
        assertThat(incomplete.pending()).containsExactly("b", "c", "a");
        assertThat(calls.list()).containsExactly("a", "p", "c", "undo p", "body got parent failed", "b", "undo b", "undo c");
    }

    @Test
    void pendingChildWhoseLateCompensationFailsUnderContinueLeavesOnlyItselfPendingAndTheRestIsUndone() throws Exception {
        IOException undoFailure = new IOException("undo c failed");
        SagaExecutor continuing = Reversible.executor().rollbackPolicy(RollbackPolicy.CONTINUE).build();
        AsyncStep c = pendingChild().compensationFailing(undoFailure, 1);
        CompletableFuture<String> saga = CompletableFuture.supplyAsync(() -> {
            try {
                return continuing.execute(Reversible.gen(scope -> {
                    scope.run(Step.ok(calls, "a"));
                    return scope.run(ParentStep.of(calls, "p", () -> continuing.currentScope().runAsync(c)).failing(parentFailure));
                }));
            } catch (Exception e) {
                throw Failures.<RuntimeException>rethrow(e);
            }
        }, sagaThread);

        awaitCall("undo p");
        settleChild(true);

        assertThat(saga).failsWithin(5, TimeUnit.SECONDS);
        CompensationFailedException incomplete = (CompensationFailedException) Failures.unwrap(failureOf(saga));
        assertThat(incomplete).hasCause(parentFailure);
        assertThat(incomplete.pending()).containsExactly("c");
        assertThat(calls.list()).containsExactly("a", "p", "c", "undo p", "undo c", "undo a");
    }

    // --- synchronous saga, asynchronous parent ---

    @Test
    void asyncParentInASyncSagaWaitsForItsPendingChildSoTheChildIsUndoneFirst() throws Exception {
        AsyncStep c = pendingChild();
        CompletableFuture<String> saga = executeOnItsOwnThread(scope -> {
            scope.run(Step.ok(calls, "a"));
            return scope.runAsync(AsyncParentStep.of(calls, "p", () -> scope.runAsync(c)).failing(parentFailure))
                    .toCompletableFuture().handle((p, failure) -> {
                        calls.add("body got " + Failures.unwrap(failure).getMessage());
                        return "carried on";
                    }).join();
        });

        awaitCall("c");
        assertThat(saga).isNotDone();
        settleChild(true);

        assertThat(saga.get(5, TimeUnit.SECONDS)).isEqualTo("carried on");
        assertThat(calls.list()).containsExactly("a", "p", "c", "undo c", "undo p", "body got parent failed");
    }

    // --- asynchronous saga, asynchronous parent ---

    private CompletableFuture<String> asyncSagaWithAsyncParent(AsyncStep c, boolean handled) {
        return executor.executeAsync(Reversible.genAsync(scope -> {
            CompletionStage<String> parent = scope.run(AsyncStep.ok(calls, "a"))
                    .thenCompose(a -> scope.run(AsyncParentStep.of(calls, "p", () -> scope.run(c)
                                    .whenComplete((value, failure) -> childOutcome.set(failure == null ? null : Failures.unwrap(failure))))
                            .failing(parentFailure)));
            if (!handled) {
                return parent;
            }
            return parent.handle((p, failure) -> {
                calls.add("body got " + Failures.unwrap(failure).getMessage());
                return "carried on";
            });
        }));
    }

    @Test
    void asyncParentOfAnAsyncSagaWaitsForItsPendingChildThatSucceedsLaterThenUndoesItBeforeItselfAndTheBodyCarriesOn() throws Exception {
        AsyncStep c = pendingChild();
        CompletableFuture<String> saga = asyncSagaWithAsyncParent(c, true);

        assertThat(calls.list()).containsExactly("a", "p", "c");
        assertThat(saga).isNotDone();
        settleChild(true);

        assertThat(saga.get(5, TimeUnit.SECONDS)).isEqualTo("carried on");
        assertThat(calls.list()).containsExactly("a", "p", "c", "undo c", "undo p", "body got parent failed");
        assertThat(c.backwardsCount).hasValue(1);
        assertThat(childOutcome.get()).isNull();   // it succeeded while its parent was still waiting for it
    }

    @Test
    void asyncParentOfAnAsyncSagaWaitsForItsPendingChildThatFailsLaterAndTheBodyCarriesOn() throws Exception {
        AsyncStep c = pendingChild();
        CompletableFuture<String> saga = asyncSagaWithAsyncParent(c, true);

        assertThat(saga).isNotDone();
        settleChild(false);

        assertThat(saga.get(5, TimeUnit.SECONDS)).isEqualTo("carried on");
        assertThat(calls.list()).containsExactly("a", "p", "c", "undo c", "undo p", "body got parent failed");
        assertThat(c.backwardsCount).hasValue(1);
        assertThat(childOutcome.get()).isSameAs(childFailure);
    }

    @Test
    void asyncSagaRollingBackForTheAsyncParentsFailureWaitsForThePendingChildThatSucceedsLater() throws Exception {
        AsyncStep c = pendingChild();
        CompletableFuture<String> saga = asyncSagaWithAsyncParent(c, false);

        assertThat(saga).isNotDone();
        assertThat(listener.reports()).isEmpty();
        settleChild(true);

        assertThat(saga).failsWithin(5, TimeUnit.SECONDS);
        assertThat(failureOf(saga)).isSameAs(parentFailure);
        assertThat(calls.list()).containsExactly("a", "p", "c", "undo c", "undo p", "undo a");
        assertThat(listener.reports()).singleElement().satisfies(report ->
                assertThat(report.compensated()).containsExactly("c", "p", "a"));
    }

    @Test
    void asyncSagaRollingBackForTheAsyncParentsFailureWaitsForThePendingChildThatFailsLater() throws Exception {
        AsyncStep c = pendingChild();
        CompletableFuture<String> saga = asyncSagaWithAsyncParent(c, false);

        assertThat(saga).isNotDone();
        settleChild(false);

        assertThat(saga).failsWithin(5, TimeUnit.SECONDS);
        assertThat(failureOf(saga)).isSameAs(parentFailure);
        assertThat(calls.list()).containsExactly("a", "p", "c", "undo c", "undo p", "undo a");
        assertThat(c.backwardsCount).hasValue(1);
    }

    // --- asynchronous saga, synchronous parent ---

    private CompletableFuture<String> asyncSagaWithSyncParent(AsyncStep c, boolean handled) {
        return executor.executeAsync(Reversible.genAsync(scope -> {
            CompletionStage<String> parent = scope.run(AsyncStep.ok(calls, "a")).thenCompose(a -> scope.run(syncParent(c)));
            if (!handled) {
                return parent;
            }
            return parent.handle((p, failure) -> {
                calls.add("body got " + Failures.unwrap(failure).getMessage());
                return "carried on";
            });
        }));
    }

    @Test
    void asyncSagaWhoseBodyHandledTheSyncParentsFailureWaitsForThePendingChildAndUndoesItWhenItSucceedsLater() throws Exception {
        AsyncStep c = pendingChild();
        CompletableFuture<String> saga = asyncSagaWithSyncParent(c, true);

        assertThat(calls.list()).containsExactly("a", "p", "c", "undo p", "body got parent failed");
        assertThat(saga).isNotDone();
        settleChild(true);

        assertThat(saga.get(5, TimeUnit.SECONDS)).isEqualTo("carried on");
        assertThat(calls.list()).containsExactly("a", "p", "c", "undo p", "body got parent failed", "undo c");
        assertThat(c.backwardsCount).hasValue(1);
        assertThat(childOutcome.get()).isInstanceOf(CancellationException.class);
    }

    @Test
    void asyncSagaWhoseBodyHandledTheSyncParentsFailureWaitsForThePendingChildThatFailsLater() throws Exception {
        AsyncStep c = pendingChild();
        CompletableFuture<String> saga = asyncSagaWithSyncParent(c, true);

        assertThat(saga).isNotDone();
        settleChild(false);

        assertThat(saga.get(5, TimeUnit.SECONDS)).isEqualTo("carried on");
        assertThat(calls.list()).containsExactly("a", "p", "c", "undo p", "body got parent failed", "undo c");
        assertThat(c.backwardsCount).hasValue(1);
    }

    @Test
    void asyncSagaRollingBackForTheSyncParentsFailureWaitsForThePendingChildThatSucceedsLater() throws Exception {
        AsyncStep c = pendingChild();
        CompletableFuture<String> saga = asyncSagaWithSyncParent(c, false);

        assertThat(calls.list()).containsExactly("a", "p", "c", "undo p");
        assertThat(saga).isNotDone();
        assertThat(listener.reports()).isEmpty();
        settleChild(true);

        assertThat(saga).failsWithin(5, TimeUnit.SECONDS);
        assertThat(failureOf(saga)).isSameAs(parentFailure);
        assertThat(calls.list()).containsExactly("a", "p", "c", "undo p", "undo c", "undo a");
        assertThat(listener.reports()).singleElement().satisfies(report ->
                assertThat(report.compensated()).containsExactly("p", "c", "a"));
    }

    @Test
    void asyncSagaRollingBackForTheSyncParentsFailureWaitsForThePendingChildThatFailsLater() throws Exception {
        AsyncStep c = pendingChild();
        CompletableFuture<String> saga = asyncSagaWithSyncParent(c, false);

        assertThat(saga).isNotDone();
        settleChild(false);

        assertThat(saga).failsWithin(5, TimeUnit.SECONDS);
        assertThat(failureOf(saga)).isSameAs(parentFailure);
        assertThat(calls.list()).containsExactly("a", "p", "c", "undo p", "undo c", "undo a");
        assertThat(c.backwardsCount).hasValue(1);
    }

    // --- what a pending child may be, and where it may have been left ---

    @Test
    void pendingAsyncCompositeChildOfAFailedParentIsUndoneWholeWhenItSettles() throws Exception {
        AtomicReference<CompletionStage<String>> composite = new AtomicReference<>();
        CompletableFuture<String> saga = executeOnItsOwnThread(scope -> {
            try {
                scope.run(ParentStep.of(calls, "p", () -> composite.set(executor.currentScope().runAsync(Reversible.genAsync(inner ->
                        inner.run(AsyncStep.ok(calls, "i")).thenCompose(i -> inner.run(pendingChild()))))))
                        .failing(parentFailure));
            } catch (IOException handled) {
                calls.add("body got " + handled.getMessage());
            }
            return "done";
        });

        awaitCall("body got parent failed");
        assertThat(saga).isNotDone();
        settleChild(true);

        assertThat(saga.get(5, TimeUnit.SECONDS)).isEqualTo("done");
        assertThat(calls.list()).containsExactly("p", "i", "c", "undo p", "body got parent failed", "undo c", "undo i");
        assertThat(Failures.unwrap(failureOf(composite.get().toCompletableFuture()))).isInstanceOf(CancellationException.class);
    }

    @Test
    void pendingGrandchildLeftInTheJournalOfAChildThatSucceededIsUndoneWhenItSettlesAfterTheGrandparentFailed() throws Exception {
        CompletableFuture<String> saga = executeOnItsOwnThread(scope -> {
            try {
                scope.run(ParentStep.of(calls, "q", () -> executor.currentScope().runAsync(AsyncParentStep.of(calls, "p",
                        () -> executor.currentScope().runAsync(pendingChild())))).failing(parentFailure));
            } catch (IOException handled) {
                calls.add("body got " + handled.getMessage());
            }
            return "done";
        });

        awaitCall("body got parent failed");
        assertThat(calls.list()).containsExactly("q", "p", "c", "undo p", "undo q", "body got parent failed");
        assertThat(saga).isNotDone();
        settleChild(true);

        assertThat(saga.get(5, TimeUnit.SECONDS)).isEqualTo("done");
        assertThat(calls.list()).containsExactly("q", "p", "c", "undo p", "undo q", "body got parent failed", "undo c");
    }

    @Test
    void synchronousChildStillRunningOnAnotherThreadWhenItsParentFailedIsUndoneWhenItReturns() throws Exception {
        ExecutorService otherThread = Executors.newSingleThreadExecutor();
        CountDownLatch childRunning = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<java.util.concurrent.Future<String>> childCall = new AtomicReference<>();
        Action<String> slowChild = Reversible.action(context -> {
            calls.add("o");
            childRunning.countDown();
            release.await(5, TimeUnit.SECONDS);
            return "o";
        }, context -> calls.add("undo o"));
        try {
            String result = executor.execute(Reversible.gen(scope -> {
                scope.runAsync(AsyncStep.ok(calls, "s"));   // the saga now has asynchronous steps: its journals take its lock
                try {
                    scope.run(ParentStep.of(calls, "p", () -> {
                        SagaScope parentScope = executor.currentScope();
                        childCall.set(otherThread.submit(() -> parentScope.run(slowChild)));
                        assertThat(childRunning.await(5, TimeUnit.SECONDS)).isTrue();
                    }).failing(parentFailure));
                } catch (IOException handled) {
                    calls.add("body got " + handled.getMessage());
                }
                release.countDown();
                Throwable childFailure = catchThrowable(() -> childCall.get().get(5, TimeUnit.SECONDS));
                calls.add("child call got " + childFailure.getCause().getClass().getSimpleName());
                return "done";
            }));

            assertThat(result).isEqualTo("done");
            assertThat(calls.list()).containsExactly("s", "p", "o", "undo p", "body got parent failed", "undo o",
                    "child call got CancellationException");
        } finally {
            otherThread.shutdownNow();
        }
    }

    @Test
    void synchronousChildStillRunningOnAnotherThreadWhoseLateCompensationFailsFailsTheSaga() throws Exception {
        ExecutorService otherThread = Executors.newSingleThreadExecutor();
        CountDownLatch childRunning = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        IllegalStateException undoFailure = new IllegalStateException("undo o failed");
        AtomicReference<java.util.concurrent.Future<String>> childCall = new AtomicReference<>();
        Action<String> slowChild = Reversible.action(context -> {
            calls.add("o");
            childRunning.countDown();
            release.await(5, TimeUnit.SECONDS);
            return "o";
        }, context -> {
            calls.add("undo o");
            throw undoFailure;
        });
        try {
            Throwable thrown = Failures.thrownBy(() -> executor.execute(Reversible.gen(scope -> {
                scope.runAsync(AsyncStep.ok(calls, "s"));
                try {
                    scope.run(ParentStep.of(calls, "p", () -> {
                        SagaScope parentScope = executor.currentScope();
                        childCall.set(otherThread.submit(() -> parentScope.run(slowChild)));
                        assertThat(childRunning.await(5, TimeUnit.SECONDS)).isTrue();
                    }).failing(parentFailure));
                } catch (IOException handled) {
                    calls.add("body got " + handled.getMessage());
                }
                release.countDown();
                Throwable childFailure = catchThrowable(() -> childCall.get().get(5, TimeUnit.SECONDS));
                calls.add("child call got " + childFailure.getCause().getClass().getSimpleName());
                return "done";
            })));

            assertThat(thrown).isInstanceOf(CompensationFailedException.class).hasCause(parentFailure);
            CompensationFailedException incomplete = (CompensationFailedException) thrown;
            assertThat(incomplete.failures()).containsExactly(undoFailure);
            assertThat(incomplete.pending()).containsExactly("action", "s");   // Reversible.action names its steps "action"
            assertThat(calls.list()).containsExactly("s", "p", "o", "undo p", "body got parent failed", "undo o",
                    "child call got CompensationFailedException");
        } finally {
            otherThread.shutdownNow();
        }
    }
}
