package dev.reversible.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Step timeouts (the core's "Time" paragraph): an asynchronous step whose future has not completed in time fails
 * with {@link StepTimeoutException} and is compensated as a step whose outcome is unknown; a late value is logged
 * once and dropped, never delivered, and the step is never compensated twice.
 */
class StepTimeoutTests {

    private static final Duration SHORT = Duration.ofMillis(50);

    private final Calls calls = new Calls();
    private final RecordingListener listener = new RecordingListener();
    private final SagaExecutor executor = Reversible.executor().listener(listener).build();
    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    private final Logger timeoutsLog = Logger.getLogger("dev.reversible.core.engine.Timeouts");
    private final Handler handler = new Handler() {
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

    @BeforeEach
    void captureLog() {
        timeoutsLog.addHandler(handler);
    }

    @AfterEach
    void releaseLog() {
        timeoutsLog.removeHandler(handler);
    }

    /** A framework-style step: it hears that it timed out before its compensation runs. */
    private final class FramedStep implements AsyncAction<String>, SagaStep {
        final CompletableFuture<String> stage = new CompletableFuture<>();
        final AtomicInteger compensations = new AtomicInteger();
        volatile boolean timedOut;

        @Override
        public CompletionStage<String> forwards() {
            calls.add("slow");
            return stage;
        }

        @Override
        public CompletionStage<?> backwards() {
            compensations.incrementAndGet();
            calls.add("undo slow (timedOut=" + timedOut + ")");
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public Duration timeout() {
            return SHORT;
        }

        @Override
        public void started(SagaInfo saga, int index, int parentIndex) {
        }

        @Override
        public void timedOut(StepTimeoutException timeout) {
            timedOut = timeout.stepName().equals("slow");
            calls.add("timed out slow");
        }

        @Override
        public String name() {
            return "slow";
        }
    }

    @Test
    void aFutureThatNeverCompletesTimesOutAndIsCompensatedAsTimedOutWithTheEarlierSteps() {
        FramedStep slow = new FramedStep();

        CompletableFuture<String> saga = executor.executeAsync(Reversible.genAsync(scope ->
                scope.run(AsyncStep.ok(calls, "a")).thenCompose(a -> scope.run(slow))));

        Throwable failure = failureOf(saga);
        assertThat(failure).isInstanceOf(StepTimeoutException.class)
                .hasMessage("Step 'slow' did not complete within PT0.05S; its outcome is unknown, so it is compensated");
        assertThat(((StepTimeoutException) failure).stepName()).isEqualTo("slow");
        assertThat(((StepTimeoutException) failure).timeout()).isEqualTo(SHORT);
        assertThat(calls.list()).containsExactly("a", "slow", "timed out slow", "undo slow (timedOut=true)", "undo a");
        assertThat(slow.compensations).hasValue(1);
        assertThat(listener.failures()).first().isSameAs(failure);
        assertThat(listener.reports()).singleElement().satisfies(report -> assertThat(report.failedStep()).isEqualTo("slow"));
    }

    @Test
    void aValueArrivingAfterTheTimeoutIsDroppedLoggedOnceAndNeverCompensatedTwice() {
        FramedStep slow = new FramedStep();
        CompletableFuture<String> saga = executor.executeAsync(Reversible.genAsync(scope -> scope.run(slow)));
        assertThat(failureOf(saga)).isInstanceOf(StepTimeoutException.class);

        slow.stage.complete("late");

        assertThat(slow.compensations).hasValue(1);
        assertThat(calls.list()).containsExactly("slow", "timed out slow", "undo slow (timedOut=true)");
        assertThat(logged).hasSize(1);
        assertThat(logged.get(0).getMessage()).startsWith("Step 'slow' of saga saga (")
                .endsWith(" completed after it had timed out: its value is dropped (the step was compensated as timed out)");
    }

    @Test
    void aStepCompletingInTimeIsNotTimedOut() throws Exception {
        FramedStep quick = new FramedStep();
        CompletableFuture<String> saga = executor.executeAsync(Reversible.genAsync(scope -> scope.run(quick)));
        quick.stage.complete("done");

        assertThat(saga.get(5, TimeUnit.SECONDS)).isEqualTo("done");
        assertThat(quick.timedOut).isFalse();
        assertThat(calls.list()).containsExactly("slow");
        assertThat(logged).isEmpty();
    }

    @Test
    void withTimeoutGivesAPlainStepATimeoutAndKeepsItsName() {
        AsyncStep plain = AsyncStep.ok(calls, "plain").forwardsReturning(new CompletableFuture<>());
        AsyncAction<String> bounded = Reversible.withTimeout(plain, SHORT);

        assertThat(bounded.name()).isEqualTo("plain");
        assertThat(bounded.timeout()).isEqualTo(SHORT);
        Throwable failure = failureOf(Reversible.executeAsync(bounded));
        assertThat(failure).isInstanceOf(StepTimeoutException.class);
        assertThat(((StepTimeoutException) failure).stepName()).isEqualTo("plain");
        assertThat(calls.list()).containsExactly("plain", "undo plain");
    }

    @Test
    void aTimeoutMustBePositive() {
        AsyncStep plain = AsyncStep.ok(calls, "plain");
        assertThatThrownBy(() -> Reversible.withTimeout(plain, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("timeout must be positive, was PT0S");
        assertThatThrownBy(() -> Reversible.withTimeout(plain, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("timeout must be positive, was PT-1S");
        assertThatThrownBy(() -> Reversible.gen(scope -> null).timeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("timeout must be positive, was PT0S");
    }

    @Test
    void theRecordSeesTheTimeoutAsTheStepsEndAndNeverTheLateValue() {
        List<String> recorded = new CopyOnWriteArrayList<>();
        SagaJournal journal = saga -> new SagaRecord() {
            @Override
            public void stepStarted(StepInfo step) {
                recorded.add("started " + step.name());
            }

            @Override
            public void stepEnded(StepInfo step, Object result, Throwable failure) {
                recorded.add("ended " + step.name() + " " + result + " " + (failure == null ? null : failure.getClass().getSimpleName()));
            }
        };
        FramedStep slow = new FramedStep();
        SagaExecutor journaled = Reversible.executor().journal(journal).build();

        assertThat(failureOf(journaled.executeAsync(Reversible.genAsync(scope -> scope.run(slow)))))
                .isInstanceOf(StepTimeoutException.class);
        slow.stage.complete("late");

        assertThat(recorded).containsExactly("started slow", "ended slow null StepTimeoutException");
        assertThat(slow.timedOut).isTrue();
    }

    static Throwable failureOf(CompletableFuture<?> future) {
        await().atMost(Duration.ofSeconds(5)).until(future::isDone);
        try {
            future.get();
            throw new AssertionError("expected the saga to fail");
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
