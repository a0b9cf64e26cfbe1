package dev.reversible.core;

import static dev.reversible.core.Failures.thrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

/**
 * A saga suspended while a compensation or a listener runs is bound to its thread again right after:
 * the body, or the running step, goes on in its own scope.
 */
class ScopeRestorationTests {

    private final Calls calls = new Calls();
    private final RecordingListener listener = new RecordingListener();
    private final SagaExecutor listened = Reversible.executor().listener(listener).build();
    private final SagaExecutor silent = Reversible.executor().build();
    private final IOException failure = new IOException("failure");

    @Test
    void bodyIsItsOwnScopeAgainAfterAHandledStepFailureWasCompensatedWithOrWithoutListeners() throws Exception {
        for (SagaExecutor executor : List.of(listened, silent)) {
            List<SagaScope> seen = new ArrayList<>();
            executor.execute(Reversible.gen(saga -> {
                try {
                    saga.run(Step.ok(calls, "f").failing(failure));
                } catch (IOException e) {
                    seen.add(executor.currentScope());
                }
                seen.add(saga);
                return null;
            }));
            assertThat(seen.get(0)).isNotNull().isSameAs(seen.get(1));
        }
    }

    @Test
    void bodyIsItsOwnScopeAgainAfterAHandledFailureWhoseCompensationFailed() throws Exception {
        List<SagaScope> seen = new ArrayList<>();
        listened.execute(Reversible.gen(saga -> {
            try {
                saga.run(Step.ok(calls, "f").failing(failure).compensationFailing(new IOException("undo failed")));
            } catch (CompensationFailedException e) {
                seen.add(listened.currentScope());
            }
            seen.add(saga);
            return null;
        }));

        assertThat(seen.get(0)).isNotNull().isSameAs(seen.get(1));
        assertThat(listener.events()).contains("compensationFailed f attempts=1 undo failed");
    }

    @Test
    void bodyIsItsOwnScopeAgainAfterAHandledFailureUndoneByItsTransaction() throws Exception {
        List<SagaScope> seen = new ArrayList<>();
        listened.execute(Reversible.gen(saga -> {
            try {
                saga.run(ParentStep.leaf(calls, "f").undoneByItsTransaction().failing(failure));
            } catch (IOException e) {
                seen.add(listened.currentScope());
            }
            seen.add(saga);
            return null;
        }));

        assertThat(seen.get(0)).isNotNull().isSameAs(seen.get(1));
    }

    @Test
    void runningStepIsItsOwnScopeAgainAfterSagasOfItsOwnStartedInItsForwardsEndedEachWay() throws Exception {
        List<SagaScope> seen = new ArrayList<>();

        listened.execute(ParentStep.of(calls, "p", () -> {
            SagaScope own = listened.currentScope();
            seen.add(own);
            listened.execute(Step.ok(calls, "completes"));   // sagaStarted, sagaCompleted
            seen.add(listened.currentScope());
            thrownBy(() -> listened.execute(Step.ok(calls, "rolls back").failing(failure)));   // sagaRolledBack
            seen.add(listened.currentScope());
            thrownBy(() -> listened.execute(Reversible.gen(saga -> {
                saga.run(Step.ok(calls, "kept"));
                throw failure;
            }).rollbackOn(e -> false)));   // sagaFailed
            seen.add(listened.currentScope());
        }));

        assertThat(seen).hasSize(4).doesNotContainNull();
        assertThat(seen).containsOnly(seen.get(0));
        assertThat(calls.list()).containsExactly("p", "completes", "rolls back", "undo rolls back", "kept");
    }

    @Test
    void runningStepIsItsOwnScopeAgainAfterAnAsyncChildFailedAndWasCompensated() throws Exception {
        List<SagaScope> seen = new ArrayList<>();
        List<Throwable> childFailures = new ArrayList<>();

        CompletableFuture<String> saga = listened.executeAsync(Reversible.genAsync(scope -> scope.run(ParentStep.of(calls, "p", () -> {
            seen.add(listened.currentScope());
            scope.run(AsyncStep.ok(calls, "child").failing(failure)).whenComplete((v, e) -> childFailures.add(e));
            seen.add(listened.currentScope());
        }))));

        assertThat(saga.get(5, TimeUnit.SECONDS)).isEqualTo("p");
        assertThat(childFailures).containsExactly(failure);
        assertThat(seen).hasSize(2).doesNotContainNull();
        assertThat(seen.get(1)).isSameAs(seen.get(0));
    }

    @Test
    void syncChildOfAnAsyncStepHandsItsResultOrItsOwnFailureToTheCallPoint() throws Exception {
        AtomicReference<CompletableFuture<String>> ok = new AtomicReference<>();
        AtomicReference<CompletableFuture<String>> failed = new AtomicReference<>();

        CompletableFuture<String> saga = silent.executeAsync(Reversible.genAsync(scope -> scope.run(AsyncParentStep.of(calls, "p", () -> {
            ok.set(scope.run(Step.ok(calls, "c1")).toCompletableFuture());
            failed.set(scope.run(Step.ok(calls, "c2").failing(failure)).toCompletableFuture());
        }))));

        assertThat(saga.get(5, TimeUnit.SECONDS)).isEqualTo("p");
        assertThat(ok.get().get(5, TimeUnit.SECONDS)).isEqualTo("c1");
        assertThat(Failures.failureOf(failed.get())).isSameAs(failure);
        assertThat(calls.list()).containsExactly("p", "c1", "c2", "undo c2");
    }

    @Test
    void scopeOfAStepThatFailedRefusesStepsAfterTheSaga() {
        AtomicReference<SagaScope> stepScope = new AtomicReference<>();
        thrownBy(() -> silent.execute(ParentStep.of(calls, "p", () -> stepScope.set(silent.currentScope())).failing(failure)));

        Throwable thrown = thrownBy(() -> stepScope.get().run(Step.ok(calls, "late")));

        assertThat(thrown).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThat(stepScope.get().toString()).startsWith("scope of saga p (");
        assertThat(calls.list()).containsExactly("p", "undo p");
    }

    @Test
    void oneAttemptPerCompensationIsAValidRetrySetting() {
        SagaExecutor once = Reversible.executor().compensationRetry(1, java.time.Duration.ZERO).build();
        Step step = Step.ok(calls, "f").failing(failure).compensationFailing(new IOException("undo failed"));

        assertThat(thrownBy(() -> once.execute(step))).isInstanceOf(CompensationFailedException.class);
        assertThat(once.compensationMaxAttempts()).isEqualTo(1);
        assertThat(step.backwardsCount).hasValue(1);
    }

    @Test
    void asyncCompensationThatFailsLaterIsCollectedAndReported() throws Exception {
        CompletableFuture<Object> undoA = new CompletableFuture<>();
        IOException undoFailure = new IOException("undo failed");

        CompletableFuture<Object> saga = listened.executeAsync(Reversible.genAsync(scope ->
                scope.run(AsyncStep.ok(calls, "a").backwardsReturning(undoA))
                        .thenCompose(a -> CompletableFuture.failedFuture(failure))));
        assertThat(saga).isNotDone();
        undoA.completeExceptionally(undoFailure);

        assertThat(saga).failsWithin(5, TimeUnit.SECONDS);
        Throwable thrown = Failures.failureOf(saga);
        assertThat(thrown).isInstanceOf(CompensationFailedException.class).hasCause(failure);
        assertThat(((CompensationFailedException) thrown).failures()).containsExactly(undoFailure);
        assertThat(((CompensationFailedException) thrown).pending()).containsExactly("a");
        assertThat(listener.events()).contains("compensationFailed a attempts=1 undo failed");
    }
}
