package dev.reversible.core.engine;

import dev.reversible.core.Action;
import dev.reversible.core.AsyncAction;
import dev.reversible.core.AsyncSagaScope;
import dev.reversible.core.CompensationFailedException;
import dev.reversible.core.SagaInfo;
import dev.reversible.core.SagaScope;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Tracks the asynchronous steps of one composite body — an asynchronous composite's, or a synchronous
 * one's that started asynchronous steps — so that the body ends only after every step it started has
 * ended, including steps started by callbacks while it waits. Steps may be started and may end on any
 * thread: the list of started steps is guarded by the saga's lock, as the journal is.
 *
 * <p>It is also what an asynchronous composite's body receives as its {@link AsyncSagaScope}.
 */
final class AsyncScope implements AsyncSagaScope {

    private final AsyncEngine engine;
    private final SagaRun run;
    /** The body scope steps take their place in, bound to the thread while the body runs. */
    private final SyncScope frame;
    private final int parentIndex;
    /** Per started step: completes with the step's failure, or {@code null}, once it has settled. */
    private final List<CompletableFuture<Throwable>> started = new ArrayList<>();
    /**
     * The first failed compensation of a step that settled after the step that started it had failed (an
     * orphan, undone on its own): nothing is lost, so the body fails with it even if it handled that failure.
     */
    private CompensationFailedException orphanFailure;
    /** The steps still running when the body ended, and those started after: none of them the body could handle. */
    private List<CompletableFuture<Throwable>> late;

    /** The scope of an asynchronous composite's body, over its journal. */
    AsyncScope(AsyncEngine engine, SagaRun run, Journal journal, int parentIndex) {
        this.engine = engine;
        this.run = run;
        this.parentIndex = parentIndex;
        this.frame = SyncScope.asyncBody(run, this, journal);
    }

    /** The companion of a synchronous body that starts asynchronous steps. */
    AsyncScope(AsyncEngine engine, SagaRun run, SyncScope body) {
        this.engine = engine;
        this.run = run;
        this.parentIndex = body.parentIndex;
        this.frame = body;
    }

    /** @return the index steps started here get as their parent, or -1 */
    int parentIndex() {
        return parentIndex;
    }

    /** @return the body scope: bound to the thread while the body runs, and around callbacks on its steps' futures */
    SyncScope frame() {
        return frame;
    }

    @Override
    public <T> CompletionStage<T> run(AsyncAction<T> step) {
        Objects.requireNonNull(step, "step must not be null");
        SyncScope target;
        try {
            target = frame.target();
        } catch (IllegalStateException closed) {
            return CompletableFuture.failedFuture(closed);
        }
        return engine.runStep(run, this, target, step);
    }

    /**
     * Starts an asynchronous step in {@code target} — this body's scope, or a running step's scope under it — tracked
     * here: what {@link SagaScope#runAsync} does.
     */
    <T> CompletableFuture<T> runStep(SyncScope target, AsyncAction<T> step) {
        return engine.runStep(run, this, target, step);
    }

    @Override
    public <T> CompletionStage<T> run(Action<T> step) {
        Objects.requireNonNull(step, "step must not be null");
        try {
            return CompletableFuture.completedFuture(frame.run(step));
        } catch (Throwable failure) {
            return CompletableFuture.failedFuture(failure);
        }
    }

    @Override
    public <T> CompletionStage<T> lift(CompletionStage<T> future) {
        // Not reversible: never journaled, so never compensated. A copy keeps callers from completing it,
        // and hands over the future's own failure rather than a CompletionException around it.
        CompletableFuture<T> copy = new CompletableFuture<>();
        Objects.requireNonNull(future, "future must not be null").whenComplete((value, failure) -> {
            if (failure == null) {
                copy.complete(value);
            } else {
                copy.completeExceptionally(Futures.unwrap(failure));
            }
        });
        return copy;
    }

    @Override
    public SagaInfo saga() {
        return run;
    }

    /**
     * Admits a step about to start in {@code target}: reserves its slot and tracks {@code settled}, which
     * the caller completes once the step has settled (its slot filled, or its own compensation done). Both
     * happen under the saga's lock, before the step's forwards runs, so that {@link #settle()} can never
     * close the scope — and the saga roll back — while a step is still starting on another thread.
     * @return the step's slot, or -1 when the scope is closed and the step must not start
     */
    int admit(SyncScope target, CompletableFuture<Throwable> settled) {
        synchronized (run) {
            if (frame.isClosed() || target.isClosed()) {
                return -1;
            }
            started.add(settled);
            if (late != null) {
                late.add(settled);
            }
            int slot = target.reserve();
            target.trackChild(settled);
            return slot;
        }
    }

    /**
     * What an asynchronous step's tracker is: it completes only after the callbacks on the step's future
     * have run (a step they start is admitted by then), but the body may have seen the step's outcome — and
     * handled its failure — before that: {@link #delivered} says so.
     */
    static final class Tracker extends CompletableFuture<Throwable> {
        /**
         * Set just before the step's outcome is handed to the body's callbacks. Volatile rather than under the
         * saga's lock: {@link #bodyEnded} reads each tracker's flag on its own, so it sees the step delivered or not
         * either way, and a step needs one lock less.
         */
        private volatile boolean delivered;
    }

    /** Marks a step's outcome as handed to the body: should the body end now, the step is not late. */
    static void delivered(Tracker tracker) {
        tracker.delivered = true;
    }

    /** Marks the end of the body: a step still running now, or started later, can no longer be handled by it. */
    void bodyEnded() {
        synchronized (run) {
            late = new ArrayList<>();
            for (CompletableFuture<Throwable> step : started) {
                if (!step.isDone() && !(step instanceof Tracker tracker && tracker.delivered)) {
                    late.add(step);
                }
            }
        }
    }

    /**
     * Completes once every step started here has settled — including steps started by callbacks while
     * waiting — and closes the scope, so that no step can slip in after a rollback.
     * @return a future of the first failure among the steps that ended after the body, or {@code null}
     */
    CompletableFuture<Throwable> settle() {
        CompletableFuture<?>[] pending;
        synchronized (run) {
            if (started.stream().allMatch(CompletableFuture::isDone)) {
                frame.close();
                return CompletableFuture.completedFuture(lateFailure());
            }
            pending = started.toArray(new CompletableFuture<?>[0]);
        }
        return CompletableFuture.allOf(pending).handle((ignored, failure) -> null).thenCompose(ignored -> settle());
    }

    /** Records that compensating an orphan — a step that settled after its parent had failed — failed. */
    void orphanCompensationFailed(CompensationFailedException failure) {
        synchronized (run) {
            if (orphanFailure == null) {
                orphanFailure = failure;
            }
        }
    }

    /**
     * What the body ends with once every step has settled (call after {@link #settle()}).
     * @param failure the body's own failure, or a late step's, or {@code null}
     * @return {@code failure}, with what a failed orphan compensation left behind folded in
     */
    Throwable outcome(Throwable failure) {
        CompensationFailedException orphan;
        synchronized (run) {
            orphan = orphanFailure;
        }
        if (orphan == null || failure == orphan) {
            return failure;
        }
        if (failure == null || orphan.getCause() == failure) {
            return orphan;   // carries on collecting: under ABORT, it stops the body's rollback before it starts
        }
        if (run.owns(failure)) {
            CompensationFailedException incomplete = (CompensationFailedException) failure;
            CoreAccess access = run.access();
            orphan.failures().forEach(compensationFailure -> access.addFailure(incomplete, compensationFailure));
            orphan.pending().forEach(stepName -> access.addPending(incomplete, stepName));
            return incomplete;
        }
        return run.own(new CompensationFailedException(failure, orphan.failures(), orphan.pending()));
    }

    private Throwable lateFailure() {
        if (late != null) {
            for (CompletableFuture<Throwable> step : late) {
                Throwable failure = step.join();
                if (failure != null) {
                    return failure;
                }
            }
        }
        return null;
    }

    IllegalStateException closed() {
        return frame.closed();
    }
}
