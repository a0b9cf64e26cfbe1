package dev.reversible.core;

import static dev.reversible.core.Failures.failureOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

/**
 * Rule 14 in the asynchronous engine: steps started on the calling thread while an asynchronous step's
 * forwards runs are its children.
 */
class AsyncChildStepsTests {

    private final Calls calls = new Calls();
    private final RecordingListener listener = new RecordingListener();
    private final SagaExecutor executor = Reversible.executor().listener(listener).build();
    private final IOException parentFailure = new IOException("parent failed");
    private final IOException later = new IOException("later");

    @Test
    void failingAsyncParentUndoesItsChildrenThenItselfBeforeTheBodyGetsItsFailure() throws Exception {
        AtomicReference<Throwable> caught = new AtomicReference<>();

        CompletableFuture<String> saga = executor.executeAsync(Reversible.genAsync(scope ->
                scope.run(AsyncStep.ok(calls, "a"))
                        .thenCompose(a -> scope.run(AsyncParentStep.of(calls, "p", () -> {
                            scope.run(Step.ok(calls, "c1"));
                            scope.run(Step.ok(calls, "c2"));
                        }).failing(parentFailure)))
                        .handle((p, failure) -> {
                            caught.set(Failures.unwrap(failure));   // thenCompose wrapped it; the step's own stage did not
                            calls.add("body got " + caught.get().getMessage());
                            return scope.run(Step.ok(calls, "b"));
                        })
                        .thenCompose(b -> b)));

        assertThat(saga.get(5, TimeUnit.SECONDS)).isEqualTo("b");
        assertThat(caught.get()).isSameAs(parentFailure);
        assertThat(calls.list()).containsExactly("a", "p", "c1", "c2",
                "undo c2", "undo c1", "undo p", "body got parent failed", "b");
    }

    @Test
    void asyncParentFailingAfterItsForwardsReturnedUndoesItsChildrenThenItselfThenTheSaga() throws Exception {
        CompletableFuture<String> pending = new CompletableFuture<>();

        CompletableFuture<String> saga = executor.executeAsync(Reversible.genAsync(scope ->
                scope.run(AsyncStep.ok(calls, "a"))
                        .thenCompose(a -> scope.run(AsyncParentStep.of(calls, "p", () -> {
                            scope.run(Step.ok(calls, "c1"));
                            scope.run(Step.ok(calls, "c2"));
                        }).returning(pending)))
                        .whenComplete((p, failure) -> calls.add("body got " + Failures.unwrap(failure).getMessage()))));

        assertThat(calls.list()).containsExactly("a", "p", "c1", "c2");
        assertThat(saga).isNotDone();
        pending.completeExceptionally(parentFailure);

        assertThat(saga).failsWithin(5, TimeUnit.SECONDS);
        assertThat(failureOf(saga)).isSameAs(parentFailure);
        assertThat(calls.list()).containsExactly("a", "p", "c1", "c2",
                "undo c2", "undo c1", "undo p", "body got parent failed", "undo a");
    }

    @Test
    void asyncSagaRollingBackUndoesAParentsChildrenBeforeTheParentInReverseOrderOfStart() throws Exception {
        CompletableFuture<String> saga = executor.executeAsync(Reversible.genAsync(scope ->
                scope.run(AsyncStep.ok(calls, "a"))
                        .thenCompose(a -> scope.run(AsyncParentStep.of(calls, "p", () -> {
                            scope.run(Step.ok(calls, "c1"));
                            scope.run(Step.ok(calls, "c2"));
                        })))
                        .thenCompose(p -> scope.run(Step.ok(calls, "b")))
                        .thenCompose(b -> CompletableFuture.<String>failedFuture(later))));

        assertThat(saga).failsWithin(5, TimeUnit.SECONDS);
        assertThat(failureOf(saga)).isSameAs(later);
        assertThat(calls.list()).containsExactly("a", "p", "c1", "c2", "b",
                "undo b", "undo c2", "undo c1", "undo p", "undo a");
        assertThat(listener.reports().get(0).compensated()).containsExactly("b", "c2", "c1", "p", "a");
    }

    @Test
    void pendingParentsChildrenAreUndoneBeforeItWhenASiblingStartedLaterFails() throws Exception {
        CompletableFuture<String> pending = new CompletableFuture<>();
        IOException siblingFailure = new IOException("sibling failed");

        CompletableFuture<Object> saga = executor.executeAsync(Reversible.genAsync(scope -> {
            CompletableFuture<String> parent = scope.run(AsyncParentStep.of(calls, "p", () -> scope.run(Step.ok(calls, "c1")))
                    .returning(pending)).toCompletableFuture();
            scope.run(Step.ok(calls, "s"));
            return scope.run(AsyncStep.ok(calls, "f").failing(siblingFailure)).thenCombine(parent, (f, p) -> null);
        }));

        assertThat(saga).isNotDone();
        pending.complete("p");

        assertThat(saga).failsWithin(5, TimeUnit.SECONDS);
        assertThat(failureOf(saga)).isSameAs(siblingFailure);
        assertThat(calls.list()).containsExactly("p", "c1", "s", "f", "undo f", "undo s", "undo c1", "undo p");
    }

    @Test
    void stepStartedThroughCurrentScopeInsideAnAsyncStepsForwardsIsItsChild() throws Exception {
        Calls starts = new Calls();
        AtomicReference<SagaScope> stepScope = new AtomicReference<>();

        CompletableFuture<String> saga = executor.executeAsync(Reversible.genAsync(scope ->
                scope.run(AsyncParentStep.of(calls, "p", () -> {
                    stepScope.set(executor.currentScope());
                    executor.currentScope().run(ParentStep.leaf(calls, "c").recordingStartsIn(starts));
                }).recordingStartsIn(starts).failing(parentFailure))));

        assertThat(saga).failsWithin(5, TimeUnit.SECONDS);
        assertThat(failureOf(saga)).isSameAs(parentFailure);
        assertThat(stepScope.get()).isNotNull();
        assertThat(starts.list()).containsExactly("p 0 -1", "c 1 0");
        assertThat(calls.list()).containsExactly("p", "c", "undo c", "undo p");
        assertThat(executor.currentScope()).isNull();
    }

    @Test
    void syncStepWhoseForwardsStartsStepsInAnAsyncSagaIsTheirParent() throws Exception {
        Calls starts = new Calls();

        CompletableFuture<String> saga = executor.executeAsync(Reversible.genAsync(scope ->
                scope.run(AsyncStep.ok(calls, "a"))
                        .thenCompose(a -> scope.run(ParentStep.of(calls, "p", () -> {
                            scope.run(ParentStep.leaf(calls, "c1").recordingStartsIn(starts));
                            scope.run(ParentStep.leaf(calls, "c2").recordingStartsIn(starts));
                        }).recordingStartsIn(starts).failing(parentFailure)))));

        assertThat(saga).failsWithin(5, TimeUnit.SECONDS);
        assertThat(failureOf(saga)).isSameAs(parentFailure);
        assertThat(starts.list()).containsExactly("p 1 -1", "c1 2 1", "c2 3 1");
        assertThat(calls.list()).containsExactly("a", "p", "c1", "c2", "undo c2", "undo c1", "undo p", "undo a");
    }

    @Test
    void asyncStepStartedInsideAnAsyncStepsForwardsIsItsChild() throws Exception {
        Calls starts = new Calls();
        AtomicReference<Throwable> caught = new AtomicReference<>();

        CompletableFuture<String> saga = executor.executeAsync(Reversible.genAsync(scope ->
                scope.run(AsyncParentStep.of(calls, "p", () -> scope.run(AsyncParentStep.leaf(calls, "c").recordingStartsIn(starts)))
                                .recordingStartsIn(starts).failing(parentFailure))
                        .handle((p, failure) -> {
                            caught.set(failure);
                            calls.add("body got " + failure.getMessage());
                            return "carried on";
                        })));

        assertThat(saga.get(5, TimeUnit.SECONDS)).isEqualTo("carried on");
        assertThat(caught.get()).isSameAs(parentFailure);
        assertThat(starts.list()).containsExactly("p 0 -1", "c 1 0");
        assertThat(calls.list()).containsExactly("p", "c", "undo c", "undo p", "body got parent failed");
    }
}
