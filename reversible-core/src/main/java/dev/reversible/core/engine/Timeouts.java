package dev.reversible.core.engine;

import dev.reversible.core.AsyncAction;
import dev.reversible.core.SagaStep;
import dev.reversible.core.StepTimeoutException;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Step timeouts and saga deadlines for asynchronous steps, and the threads the engine needs of its own: one timer
 * thread, which only hands a timed-out step over, and a pool of workers, which compensate it (and run a parallel
 * rollback's concurrent compensations) — so that a slow compensation never delays another step's timeout. Both
 * are daemon threads, made on first use: a saga without timeouts or parallel compensation never starts them.
 */
final class Timeouts {

    private static final System.Logger LOG = System.getLogger(Timeouts.class.getName());

    private Timeouts() {
    }

    /** Holds the threads; loaded only when a step first needs one. */
    private static final class Threads {
        static final ScheduledThreadPoolExecutor TIMER = timer();
        static final ExecutorService WORKERS = Executors.newCachedThreadPool(named("reversible-worker-"));

        private static ScheduledThreadPoolExecutor timer() {
            ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, named("reversible-timer-"));
            timer.setRemoveOnCancelPolicy(true);   // a step that completes in time leaves nothing queued behind
            return timer;
        }

        private static java.util.concurrent.ThreadFactory named(String prefix) {
            AtomicInteger count = new AtomicInteger();
            return task -> {
                Thread thread = new Thread(task, prefix + count.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            };
        }
    }

    /** @return the engine's worker threads: they compensate timed-out steps and run a parallel rollback's branches */
    static ExecutorService workers() {
        return Threads.WORKERS;
    }

    /** @return {@code value}, refused unless positive */
    static Duration positive(Duration value, String what) {
        Objects.requireNonNull(value, what + " must not be null");
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(what + " must be positive, was " + value);
        }
        return value;
    }

    /**
     * Bounds an asynchronous step's {@code forwards} stage by its timeout and its saga's deadline: when the bound
     * passes first, the step hears {@link SagaStep#timedOut(StepTimeoutException)} and the returned future fails with
     * {@link StepTimeoutException}; a value (or failure) the stage completes with afterwards is logged once and
     * dropped. Whichever comes first decides, atomically. The timer is armed here, once the step's {@code forwards} has
     * returned its stage, never before: a step may take note of its own outcome inside {@code forwards} without a
     * lock against {@code timedOut} (the starter's {@code AsyncStepAction} does).
     * @param deadline the saga's deadline, or {@code null} for none
     * @param saga the saga, as log lines name it
     * @param step the step whose {@code timeout()} applies (the caller's own step, not a wrapper)
     * @param forwards the step's stage
     * @return {@code forwards} itself when nothing bounds it or it is already complete, else the bounded future
     */
    static <T> CompletionStage<T> bound(Deadline deadline, Object saga, AsyncAction<?> step, CompletionStage<T> forwards) {
        if (forwards == null) {
            return forwards;
        }
        Duration stepTimeout = step.timeout();
        long nanos = Deadline.stepTimeoutNanos(deadline, stepTimeout);
        if (nanos < 0) {
            return forwards;
        }
        CompletableFuture<T> source = Futures.of(forwards);
        if (source.isDone()) {
            return source;
        }
        boolean deadlineFirst = stepTimeout == null || deadline != null && nanos < stepTimeout.toNanos();
        Duration shown = deadlineFirst ? deadline.timeout : stepTimeout;
        CompletableFuture<T> bounded = new CompletableFuture<>();
        AtomicBoolean decided = new AtomicBoolean();
        ScheduledFuture<?> timer = Threads.TIMER.schedule(() -> Threads.WORKERS.execute(() -> {
            if (decided.compareAndSet(false, true)) {
                StepTimeoutException timeout = new StepTimeoutException(Names.ofStep(step), shown);
                if (step instanceof SagaStep framed) {
                    try {
                        framed.timedOut(timeout);
                    } catch (Throwable e) {
                        LOG.log(Level.WARNING, "Step '" + Names.ofStep(step) + "' of " + saga + " failed on hearing it timed out; ignored", e);
                    }
                }
                bounded.completeExceptionally(timeout);
            }
        }), nanos, TimeUnit.NANOSECONDS);
        source.whenComplete((value, thrown) -> {
            if (decided.compareAndSet(false, true)) {
                timer.cancel(false);
                if (thrown == null) {
                    bounded.complete(value);
                } else {
                    bounded.completeExceptionally(thrown);
                }
            } else {
                LOG.log(Level.WARNING, "Step '" + Names.ofStep(step) + "' of " + saga + (thrown == null
                        ? " completed after it had timed out: its value is dropped (the step was compensated as timed out)"
                        : " failed after it had timed out: " + Futures.unwrap(thrown) + " (the step was compensated as timed out)"));
            }
        });
        return bounded;
    }
}
