package dev.reversible.core;

import static dev.reversible.core.Failures.thrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.Test;

/**
 * The edges of timeouts, deadlines, cancellation and parallel rollback: which timeout a step is told it missed,
 * a step already complete or returning nothing, a cancellation seen where the next step would start, the registry
 * of cancellable sagas emptied however a saga ends, and a parallel rollback that waits for every later branch.
 */
class TimeAndCancellationEdgesTests {

    private final Calls calls = new Calls();

    @Test
    void aStepIsToldTheTimeoutThatBoundItsOwnOrItsSagas() {
        AsyncStep never = AsyncStep.ok(calls, "never").forwardsReturning(new CompletableFuture<>());
        Throwable sagaFirst = StepTimeoutTests.failureOf(Reversible.executeAsync(Reversible.<String>genAsync(scope ->
                scope.run(Reversible.withTimeout(never, Duration.ofSeconds(30)))).timeout(Duration.ofMillis(50))));
        Throwable stepFirst = StepTimeoutTests.failureOf(Reversible.executeAsync(Reversible.<String>genAsync(scope ->
                scope.run(Reversible.withTimeout(never, Duration.ofMillis(50)))).timeout(Duration.ofMinutes(1))));

        assertThat(((StepTimeoutException) sagaFirst).timeout()).isEqualTo(Duration.ofMillis(50));
        assertThat(sagaFirst).hasMessage("Step 'never' did not complete within PT0.05S; its outcome is unknown, so it is compensated");
        assertThat(((StepTimeoutException) stepFirst).timeout()).isEqualTo(Duration.ofMillis(50));
        assertThat(new StepTimeoutException("x", null)).hasMessage("Step 'x' did not complete in time; its outcome is unknown, so it is compensated");
    }

    @Test
    void aStepWithATimeoutThatIsAlreadyCompleteOrReturnsNothingKeepsItsValue() throws Exception {
        AsyncAction<String> done = Reversible.withTimeout(AsyncStep.ok(calls, "done"), Duration.ofSeconds(5));
        AsyncAction<String> nothing = Reversible.withTimeout(new AsyncAction<String>() {
            @Override
            public CompletionStage<String> forwards() {
                return null;
            }

            @Override
            public CompletionStage<?> backwards() {
                return null;
            }
        }, Duration.ofSeconds(5));

        assertThat(Reversible.executeAsync(done).get(5, TimeUnit.SECONDS)).isEqualTo("done");
        assertThat(Reversible.executeAsync(nothing).get(5, TimeUnit.SECONDS)).isNull();
        assertThat(done).hasToString("AsyncStep[done] (timeout PT5S)");
    }

    @Test
    void withTimeoutDelegatesEachCompensationAttempt() {
        IOException refused = new IOException("not yet");
        AsyncStep flaky = AsyncStep.ok(calls, "flaky").compensationFailing(refused, 1).failing(new IllegalStateException("no"));
        AsyncAction<String> bounded = Reversible.withTimeout(flaky, Duration.ofSeconds(5));
        SagaExecutor retrying = Reversible.executor().compensationRetry(2, Duration.ZERO).build();

        assertThat(StepTimeoutTests.failureOf(retrying.executeAsync(bounded))).hasMessage("no");
        assertThat(flaky.backwardsCount).hasValue(2);
        assertThat(bounded.backwards()).isNotNull();
        assertThat(flaky.backwardsCount).hasValue(3);
    }

    @Test
    void aLateFailureAfterATimeoutIsLoggedAndDropped() {
        List<LogRecord> logged = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger log = Logger.getLogger("dev.reversible.core.engine.Timeouts");
        log.addHandler(handler);
        try {
            CompletableFuture<String> late = new CompletableFuture<>();
            AsyncStep step = AsyncStep.ok(calls, "late").forwardsReturning(late);
            assertThat(StepTimeoutTests.failureOf(Reversible.executeAsync(Reversible.withTimeout(step, Duration.ofMillis(20)))))
                    .isInstanceOf(StepTimeoutException.class);

            late.completeExceptionally(new IOException("refused at last"));

            assertThat(logged).singleElement().satisfies(record -> assertThat(record.getMessage())
                    .endsWith(" failed after it had timed out: java.io.IOException: refused at last (the step was compensated as timed out)"));
            assertThat(step.backwardsCount).hasValue(1);
        } finally {
            log.removeHandler(handler);
        }
    }

    @Test
    void aCancellationIsSeenWhereTheNextStepWouldStartAndThatStepNeverRuns() {
        SagaExecutor executor = Reversible.executor().build();
        Step second = Step.ok(calls, "second");
        Throwable thrown = thrownBy(() -> executor.execute(Reversible.<String>gen(scope -> {
            scope.run(Step.ok(calls, "first"));
            assertThat(executor.cancellableSagas()).isEqualTo(0);
            calls.add("cancel " + executor.cancel(scope.saga().id()));
            assertThat(executor.cancellableSagas()).isEqualTo(1);
            return scope.run(second);
        })));

        assertThat(thrown).isInstanceOf(SagaCancelledException.class);
        assertThat(second.forwardsCount).hasValue(0);
        assertThat(calls.list()).containsExactly("first", "cancel true", "undo first");
        assertThat(executor.cancellableSagas()).isZero();
    }

    @Test
    void anAsynchronousCancellationIsSeenWhereTheNextStepWouldStart() {
        SagaExecutor executor = Reversible.executor().build();
        AsyncStep second = AsyncStep.ok(calls, "second");
        CompletableFuture<String> saga = executor.executeAsync(Reversible.<String>genAsync(scope ->
                scope.run(AsyncStep.ok(calls, "first")).thenCompose(first -> {
                    calls.add("cancel " + executor.cancel(scope.saga().id()));
                    return scope.run(second);
                })));

        assertThat(StepTimeoutTests.failureOf(saga)).isInstanceOf(SagaCancelledException.class);
        assertThat(second.forwardsCount).hasValue(0);
        assertThat(calls.list()).containsExactly("first", "cancel true", "undo first");
        assertThat(executor.cancellableSagas()).isZero();
    }

    @Test
    void aSagaWithoutListenersLeavesTheRegistryHoweverItEnds() throws Exception {
        SagaExecutor executor = Reversible.executor().build();
        thrownBy(() -> executor.execute(Reversible.<String>gen(scope -> {
            scope.saga().id();
            throw new IOException("failed");
        })));
        CompositeAction<String> direct = Reversible.gen(scope -> scope.run(Step.ok(calls, "direct")));
        SagaExecutor listened = Reversible.executor().listener(new SagaListener() {
            @Override
            public void compensationSucceeded(SagaInfo saga, StepInfo step, int attempts, long nanos) {
                saga.id();
            }
        }).build();
        direct.forwards();
        direct.backwards();

        assertThat(executor.cancellableSagas()).isZero();
        assertThat(listened.cancellableSagas()).isZero();
        assertThat(Reversible.defaultExecutor().cancellableSagas()).isZero();
    }

    @Test
    void aParallelRollbackWaitsForEveryLaterBranchBeforeAnEarlierStep() throws Exception {
        CompletableFuture<Void> slowUndo = new CompletableFuture<>();
        AtomicReference<CompletableFuture<String>> saga = new AtomicReference<>();
        IOException failure = new IOException("failed");
        saga.set(Reversible.executeAsync(Reversible.<String>genAsync(scope -> {
            CompletionStage<String> before = scope.run(AsyncStep.ok(calls, "before"));
            return before.thenCompose(b -> {
                CompletableFuture<String> fastForwards = new CompletableFuture<>();
                CompletableFuture<String> slowForwards = new CompletableFuture<>();
                CompletionStage<String> fast = scope.run(AsyncStep.ok(calls, "fast").forwardsReturning(fastForwards));
                CompletionStage<String> slow = scope.run(AsyncStep.ok(calls, "slow").forwardsReturning(slowForwards).backwardsReturning(slowUndo));
                fastForwards.complete("fast");
                slowForwards.complete("slow");
                return fast.thenCombine(slow, (x, y) -> x + y);
            }).thenCompose(both -> CompletableFuture.<String>failedFuture(failure));
        }).compensation(CompensationMode.PARALLEL)));

        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> calls.contains("undo slow") && calls.contains("undo fast"));
        assertThat(calls.list()).doesNotContain("undo before");
        slowUndo.complete(null);

        assertThat(StepTimeoutTests.failureOf(saga.get())).isSameAs(failure);
        assertThat(calls.list().get(calls.list().size() - 1)).isEqualTo("undo before");
    }

    @Test
    void aParallelRollbackCarriesOnAnIncompleteRollbackFromInsideAndRollsBackNothingWhenThereIsNothing() {
        IOException refused = new IOException("refund refused");
        Step first = Step.ok(calls, "first");
        Throwable thrown = thrownBy(() -> Reversible.execute(Reversible.<String>gen(scope -> {
            scope.run(first);
            return scope.run(Step.ok(calls, "second").failing(new IllegalStateException("no")).compensationFailing(refused));
        }).compensation(CompensationMode.PARALLEL)));
        IOException nothing = new IOException("nothing done");
        Throwable empty = thrownBy(() -> Reversible.execute(Reversible.<String>gen(scope -> {
            throw nothing;
        }).compensation(CompensationMode.PARALLEL)));

        assertThat(thrown).isInstanceOf(CompensationFailedException.class);
        assertThat(((CompensationFailedException) thrown).pending()).containsExactly("second", "first");
        assertThat(first.backwardsCount).as("ABORT: the rollback stops before it starts").hasValue(0);
        assertThat(empty).isSameAs(nothing);
    }
}
