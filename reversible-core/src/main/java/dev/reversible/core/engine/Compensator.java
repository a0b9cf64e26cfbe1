package dev.reversible.core.engine;

import dev.reversible.core.Action;
import dev.reversible.core.AsyncAction;
import dev.reversible.core.AttemptAwareAction;
import dev.reversible.core.SagaStep;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Runs one leaf's compensation with its retries — blocking between attempts for the synchronous
 * engine, without blocking for the asynchronous one — with the saga suspended on the calling thread,
 * so that a step the compensation starts is a saga of its own. A leaf whose work its transaction's
 * rollback has already undone is skipped and reported, never compensated a second time.
 */
final class Compensator {

    private final Settings settings;

    Compensator(Settings settings) {
        this.settings = settings;
    }

    /**
     * Runs one compensation with its retries, blocking between attempts.
     * @return {@code null} when it succeeded (or was not needed), else the last attempt's failure
     */
    Throwable compensate(SagaRun run, Object leaf) {
        LeafKind kind = LeafKind.of(leaf);
        if (kind.step && ((SagaStep) leaf).undoneByTransaction()) {
            run.stepUndoneByTransaction(leaf);
            return null;
        }
        run.compensationStarted(leaf);
        if (kind.async) {
            return compensateAsync(run, leaf, 1, run.now()).join();
        }
        long start = run.now();
        for (int attempt = 1; ; attempt++) {
            try {
                backwardsOnce(leaf, kind, attempt);
                run.compensationSucceeded(leaf, attempt, start);
                return null;
            } catch (Throwable failure) {
                if (attempt >= settings.maxAttempts() || !pauseBeforeRetry()) {
                    run.compensationFailed(leaf, attempt, start, failure);
                    return failure;
                }
            }
        }
    }

    /**
     * One compensation with its retries, waiting between attempts without blocking a thread — for every
     * leaf of an asynchronous saga, synchronous ones included (they may be reached on a completion thread
     * that must not sleep). Completes with {@code null} or the last failure, never exceptionally.
     */
    CompletableFuture<Throwable> compensateAsync(SagaRun run, Object leaf) {
        LeafKind kind = LeafKind.of(leaf);
        if (kind.step && ((SagaStep) leaf).undoneByTransaction()) {
            run.stepUndoneByTransaction(leaf);
            return CompletableFuture.completedFuture(null);
        }
        run.compensationStarted(leaf);
        return compensateAsync(run, leaf, 1, run.now());
    }

    private CompletableFuture<Throwable> compensateAsync(SagaRun run, Object leaf, int attempt, long start) {
        LeafKind kind = LeafKind.of(leaf);
        CompletionStage<?> attemptStage;
        SyncScope suspended = ThreadScope.suspend();
        try {
            attemptStage = kind.async
                    ? Futures.start(() -> ((AsyncAction<?>) leaf).backwards(attempt))
                    : Futures.start(() -> {
                        backwardsOnce(leaf, kind, attempt);
                        return null;
                    });
        } finally {
            ThreadScope.resume(suspended);
        }
        if (attempt == 1) {
            // Before any completion callback can run here: listeners unbind this thread from the compensation.
            run.compensationPending(leaf);
        }
        return Futures.of(attemptStage).handle((ignored, thrown) -> {
            if (thrown == null) {
                run.compensationSucceeded(leaf, attempt, start);
                return CompletableFuture.<Throwable>completedFuture(null);
            }
            Throwable failure = Futures.unwrap(thrown);
            if (attempt >= settings.maxAttempts()) {
                run.compensationFailed(leaf, attempt, start, failure);
                return CompletableFuture.completedFuture(failure);
            }
            return CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(settings.backoff().toNanos(), TimeUnit.NANOSECONDS))
                    .thenCompose(next -> compensateAsync(run, leaf, attempt + 1, start));
        }).thenCompose(stage -> stage);
    }

    /** One attempt of a synchronous leaf's compensation: the one place a synchronous {@code backwards} is called. */
    private static void backwardsOnce(Object leaf, LeafKind kind, int attempt) throws Exception {
        SyncScope suspended = ThreadScope.suspend();
        try {
            if (kind.attemptAware) {
                ((AttemptAwareAction<?>) leaf).backwards(attempt);
            } else {
                ((Action<?>) leaf).backwards();
            }
        } finally {
            ThreadScope.resume(suspended);
        }
    }

    private boolean pauseBeforeRetry() {
        java.time.Duration backoff = settings.backoff();
        if (backoff.isZero()) {
            return true;
        }
        try {
            Thread.sleep(backoff.toMillis(), backoff.toNanosPart() % 1_000_000);
            return true;
        } catch (InterruptedException e) {
            // Stop retrying, but keep the interrupt for the caller; the compensation counts as failed.
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * How a leaf is called back, worked out once per class. Why not {@code instanceof}: on JDK 17, C2
     * uses no type profile for {@code instanceof}, and a check against an interface the class does not
     * implement scans its secondary supers every time — several times the cost of a cheap compensation.
     */
    enum LeafKind {
        ACTION(false, false, false), ACTION_STEP(false, false, true),
        ATTEMPT_AWARE(false, true, false), ATTEMPT_AWARE_STEP(false, true, true),
        ASYNC(true, false, false), ASYNC_STEP(true, false, true);

        final boolean async;
        final boolean attemptAware;
        final boolean step;

        LeafKind(boolean async, boolean attemptAware, boolean step) {
            this.async = async;
            this.attemptAware = attemptAware;
            this.step = step;
        }

        private static final ClassValue<LeafKind> BY_CLASS = new ClassValue<>() {
            @Override
            protected LeafKind computeValue(Class<?> type) {
                boolean step = SagaStep.class.isAssignableFrom(type);
                // An AsyncAction is compensated asynchronously even when it is an Action too.
                if (AsyncAction.class.isAssignableFrom(type)) {
                    return step ? ASYNC_STEP : ASYNC;
                }
                if (AttemptAwareAction.class.isAssignableFrom(type)) {
                    return step ? ATTEMPT_AWARE_STEP : ATTEMPT_AWARE;
                }
                return step ? ACTION_STEP : ACTION;
            }
        };

        static LeafKind of(Object leaf) {
            return BY_CLASS.get(leaf.getClass());
        }
    }
}
