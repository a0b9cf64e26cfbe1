package dev.reversible.core;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * Asynchronous steps started in a synchronous saga ({@link SagaScope#runAsync}): they take their place
 * when they start, the saga ends only after every one of them has ended, a step failing after the body
 * returned rolls the saga back, and callbacks on their futures run in the saga's scope.
 */
class AsyncStepsInSyncSagaTests {

    private final Calls calls = new Calls();
    private final SagaExecutor executor = Reversible.executor().build();
    private final ExecutorService sagaThread = Executors.newSingleThreadExecutor();

    @AfterEach
    void stopThread() {
        sagaThread.shutdownNow();
    }

    @Test
    void asynchronousStepTakesItsPlaceWhenItStartsSoTheRollbackUndoesInReverseOrderOfStart() {
        CompletableFuture<String> slow = new CompletableFuture<>();
        IllegalStateException failure = new IllegalStateException("later");

        Throwable thrown = catchThrowable(() -> executor.execute(Reversible.gen(saga -> {
            saga.run(Step.ok(calls, "a"));
            CompletableFuture<String> b = saga.runAsync(AsyncStep.ok(calls, "b").forwardsReturning(slow)).toCompletableFuture();
            saga.run(Step.ok(calls, "c"));
            slow.complete("b done");   // b ends after c, but started before it
            assertThat(b.join()).isEqualTo("b done");
            throw failure;
        })));

        assertThat(thrown).isSameAs(failure);
        assertThat(calls.list()).containsExactly("a", "b", "c", "undo c", "undo b", "undo a");
    }

    @Test
    void sagaWhoseBodyDidNotWaitForAnAsynchronousStepWaitsForItBeforeCompleting() throws Exception {
        CompletableFuture<String> slow = new CompletableFuture<>();
        AtomicReference<SagaInfo> saga = new AtomicReference<>();
        Future<String> outcome = sagaThread.submit(() -> executor.execute(Reversible.gen(scope -> {
            saga.set(scope.saga());
            scope.runAsync(AsyncStep.ok(calls, "b").forwardsReturning(slow));
            return "body returned";
        })));

        await().atMost(10, TimeUnit.SECONDS).until(() -> calls.list().contains("b"));
        assertThat(outcome.isDone()).isFalse();
        slow.complete("b done");

        assertThat(outcome.get(10, TimeUnit.SECONDS)).isEqualTo("body returned");
        assertThat(calls.list()).containsExactly("b");
    }

    @Test
    void asynchronousStepFailingAfterTheBodyReturnedRollsTheSagaBack() throws Exception {
        CompletableFuture<String> slow = new CompletableFuture<>();
        IllegalStateException failure = new IllegalStateException("b failed late");
        Future<String> outcome = sagaThread.submit(() -> executor.execute(Reversible.gen(scope -> {
            scope.run(Step.ok(calls, "a"));
            scope.runAsync(AsyncStep.ok(calls, "b").forwardsReturning(slow));
            return "body returned";
        })));

        await().atMost(10, TimeUnit.SECONDS).until(() -> calls.list().contains("b"));
        slow.completeExceptionally(failure);

        Throwable thrown = catchThrowable(() -> outcome.get(10, TimeUnit.SECONDS));
        assertThat(thrown).hasCauseReference(failure);
        assertThat(calls.list()).containsExactly("a", "b", "undo b", "undo a");
    }

    @Test
    void callbackChainedOnAnAsynchronousStepStartsAStepOfTheSameSaga() throws Exception {
        CompletableFuture<String> slow = new CompletableFuture<>();
        Future<String> outcome = sagaThread.submit(() -> executor.execute(Reversible.gen(scope -> {
            scope.runAsync(AsyncStep.ok(calls, "b").forwardsReturning(slow))
                    .thenApply(b -> {
                        try {
                            return executor.currentScope().run(Step.ok(calls, "after " + b));
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    });
            return "body returned";
        })));

        await().atMost(10, TimeUnit.SECONDS).until(() -> calls.list().contains("b"));
        slow.complete("b");   // the callback runs here, on the test thread, in the saga's scope

        assertThat(outcome.get(10, TimeUnit.SECONDS)).isEqualTo("body returned");
        assertThat(calls.list()).containsExactly("b", "after b");
        assertThat(executor.currentScope()).isNull();   // the saga's scope was bound around the callback only
    }

    @Test
    void stepStartedThroughAScopeOfASagaThatHasEndedIsRefusedNamingTheSaga() throws Exception {
        AtomicReference<SagaScope> leaked = new AtomicReference<>();
        executor.execute(Reversible.gen(scope -> {
            leaked.set(scope);
            return null;
        }).named("placeOrder"));
        AsyncStep late = AsyncStep.ok(calls, "late");

        Throwable thrown = catchThrowable(() -> leaked.get().runAsync(late));

        assertThat(thrown).isInstanceOf(IllegalStateException.class).hasMessageContaining("placeOrder").hasMessageContaining("ended");
        assertThat(late.forwardsCount).hasValue(0);
    }

    @Test
    void asynchronousCompensationIsToldWhichAttemptItIs() {
        SagaExecutor retrying = Reversible.executor().compensationRetry(3, java.time.Duration.ZERO).build();
        java.util.List<Integer> attempts = new java.util.concurrent.CopyOnWriteArrayList<>();
        IllegalStateException failure = new IllegalStateException("fails");
        AsyncAction<String> step = new AsyncAction<>() {
            @Override
            public java.util.concurrent.CompletionStage<String> forwards() {
                return CompletableFuture.failedFuture(failure);
            }

            @Override
            public java.util.concurrent.CompletionStage<?> backwards() {
                throw new AssertionError("the executor calls backwards(attempt)");
            }

            @Override
            public java.util.concurrent.CompletionStage<?> backwards(int attempt) {
                attempts.add(attempt);
                return attempt < 3 ? CompletableFuture.failedFuture(new IllegalStateException("undo " + attempt))
                        : CompletableFuture.completedFuture(null);
            }
        };

        Throwable thrown = catchThrowable(() -> retrying.executeAsync(step).join());

        assertThat(thrown).hasCauseReference(failure);
        assertThat(attempts).containsExactly(1, 2, 3);
    }
}
