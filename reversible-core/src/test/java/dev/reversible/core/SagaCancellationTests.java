package dev.reversible.core;

import static dev.reversible.core.Failures.thrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Cancellation that compensates: a cancelled saga fails with {@link SagaCancelledException} at its next step
 * boundary and rolls back like for any failure; a saga that is not running cannot be cancelled.
 */
class SagaCancellationTests {

    private final Calls calls = new Calls();
    private final RecordingListener listener = new RecordingListener();
    private final SagaExecutor executor = Reversible.executor().listener(listener).build();
    private final ExecutorService threads = Executors.newSingleThreadExecutor();
    private final CountDownLatch secondStarted = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final CompletableFuture<String> sagaId = new CompletableFuture<>();

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    /** A step that says it started, then blocks until the test releases it. */
    private Action<String> blocking(String name) {
        return Reversible.action(context -> {
            calls.add(name);
            secondStarted.countDown();
            if (!release.await(5, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
            return name;
        }, context -> calls.add("undo " + name));
    }

    private CompositeAction<String> threeSteps(Step third) {
        Action<String> second = blocking("second");
        return Reversible.<String>gen(scope -> {
            sagaId.complete(scope.saga().id());
            scope.run(Step.ok(calls, "first"));
            scope.run(new Named<>("second", second));
            return scope.run(third);
        }).named("order");
    }

    @Test
    void aSagaCancelledWhileBlockedInItsSecondStepFailsWhenThatStepEndsAndUndoesBothOnce() throws Exception {
        Step third = Step.ok(calls, "third");
        Future<Throwable> outcome = threads.submit(() -> thrownBy(() -> executor.execute(threeSteps(third))));
        assertThat(secondStarted.await(5, TimeUnit.SECONDS)).isTrue();

        assertThat(executor.cancel(sagaId.get(5, TimeUnit.SECONDS))).isTrue();
        assertThat(executor.cancel(sagaId.get())).as("a second cancel finds it cancelled already").isFalse();
        release.countDown();

        Throwable thrown = outcome.get(5, TimeUnit.SECONDS);
        assertThat(thrown).isInstanceOf(SagaCancelledException.class).hasMessage("Saga order (" + sagaId.get() + ") was cancelled");
        assertThat(((SagaCancelledException) thrown).sagaId()).isEqualTo(sagaId.get());
        assertThat(calls.list()).containsExactly("first", "second", "undo second", "undo first");
        assertThat(third.forwardsCount).hasValue(0);
        assertThat(listener.reports()).singleElement().satisfies(report -> {
            assertThat(report.failure()).isSameAs(thrown);
            assertThat(report.compensated()).containsExactly("second", "first");
        });
    }

    @Test
    void aBodyThatSwallowsTheCancellationStillRollsBackAtTheSagasEnd() throws Exception {
        Action<String> second = blocking("second");
        CompositeAction<String> saga = Reversible.<String>gen(scope -> {
            sagaId.complete(scope.saga().id());
            scope.run(Step.ok(calls, "first"));
            try {
                scope.run(new Named<>("second", second));
            } catch (SagaCancelledException swallowed) {
                calls.add("body swallowed it");
            }
            return "done";
        }).named("order").rollbackOn(failure -> false);   // a rule that keeps every step is not asked about a cancellation
        Future<Throwable> outcome = threads.submit(() -> thrownBy(() -> executor.execute(saga)));
        assertThat(secondStarted.await(5, TimeUnit.SECONDS)).isTrue();

        assertThat(executor.cancel(sagaId.get(5, TimeUnit.SECONDS))).isTrue();
        release.countDown();

        assertThat(outcome.get(5, TimeUnit.SECONDS)).isInstanceOf(SagaCancelledException.class);
        assertThat(calls.list()).containsExactly("first", "second", "body swallowed it", "undo second", "undo first");
    }

    @Test
    void aCancelledAsynchronousSagaFailsWhenItsPendingStepEnds() throws Exception {
        CompletableFuture<String> pending = new CompletableFuture<>();
        CompletableFuture<String> saga = executor.executeAsync(Reversible.<String>genAsync(scope -> {
            sagaId.complete(scope.saga().id());
            return scope.run(AsyncStep.ok(calls, "a")).thenCompose(a -> scope.run(AsyncStep.ok(calls, "b").forwardsReturning(pending)))
                    .thenCompose(b -> scope.run(AsyncStep.ok(calls, "c")));
        }).named("async"));

        assertThat(executor.cancel(sagaId.get(5, TimeUnit.SECONDS))).isTrue();
        pending.complete("b");

        assertThat(StepTimeoutTests.failureOf(saga)).isInstanceOf(SagaCancelledException.class);
        assertThat(calls.list()).containsExactly("a", "b", "undo b", "undo a");
    }

    @Test
    void aSagaThatHasEndedOrWasNeverKnownCannotBeCancelled() throws Exception {
        String result = executor.execute(Reversible.gen(scope -> {
            sagaId.complete(scope.saga().id());
            return scope.run(Step.ok(calls, "a"));
        }));

        assertThat(result).isEqualTo("a");
        assertThat(executor.cancel(sagaId.get())).isFalse();
        assertThat(executor.cancel("no-such-saga")).isFalse();
        assertThat(calls.list()).containsExactly("a");
    }

    @Test
    void aLoneStepCancelledWhileItRunsIsUndone() throws Exception {
        SagaExecutor listened = Reversible.executor().listener(new SagaListener() {
            @Override
            public void sagaStarted(SagaInfo saga) {
                sagaId.complete(saga.id());
            }
        }).build();
        Action<String> lone = blocking("lone");
        Future<Throwable> outcome = threads.submit(() -> thrownBy(() -> listened.execute(new Named<>("lone", lone))));
        assertThat(secondStarted.await(5, TimeUnit.SECONDS)).isTrue();

        assertThat(listened.cancel(sagaId.get(5, TimeUnit.SECONDS))).isTrue();
        release.countDown();

        assertThat(outcome.get(5, TimeUnit.SECONDS)).isInstanceOf(SagaCancelledException.class);
        assertThat(calls.list()).containsExactly("lone", "undo lone");
    }

    @Test
    void endedSagasLeaveNothingInTheRegistryWhenTheirIdIsAskedDuringOrOnlyAfterTheirEnd() throws Exception {
        SagaExecutor listened = Reversible.executor().listener(new SagaListener() {
            @Override
            public void sagaStarted(SagaInfo saga) {
                saga.id();
            }
        }).listener(new SagaListener() {
            @Override
            public void sagaCompleted(SagaInfo saga, long nanos) {
                calls.add("completed " + saga.id().isEmpty());
            }

            @Override
            public void sagaRolledBack(SagaInfo saga, long nanos, RollbackReport report) {
                calls.add("rolled back " + saga.id().isEmpty());
            }
        }).build();
        SagaExecutor lateAsker = Reversible.executor().listener(new SagaListener() {
            @Override
            public void sagaCompleted(SagaInfo saga, long nanos) {
                sagaId.complete(saga.id());   // first asked only now, after the end
            }
        }).build();

        listened.execute(Reversible.gen(scope -> scope.run(Step.ok(calls, "a"))));
        thrownBy(() -> listened.execute(Reversible.gen(scope -> scope.run(Step.ok(calls, "b").failing(new IllegalStateException("no"))))));
        listened.executeAsync(Reversible.genAsync(scope -> scope.run(AsyncStep.ok(calls, "c")))).get(5, TimeUnit.SECONDS);
        lateAsker.execute(Reversible.gen(scope -> scope.run(Step.ok(calls, "d"))));

        assertThat(listened.cancellableSagas()).isZero();
        assertThat(lateAsker.cancellableSagas()).isZero();
        assertThat(lateAsker.cancel(sagaId.get())).isFalse();
        assertThat(calls.list()).containsExactly("a", "completed false", "b", "undo b", "rolled back false", "c", "completed false", "d");
    }

    /** An action under another name, so that the report names the steps as the test does. */
    private record Named<T>(String name, Action<T> action) implements Action<T> {
        @Override
        public T forwards() throws Exception {
            return action.forwards();
        }

        @Override
        public void backwards() throws Exception {
            action.backwards();
        }
    }
}
