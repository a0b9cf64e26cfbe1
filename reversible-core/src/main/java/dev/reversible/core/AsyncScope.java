package dev.reversible.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The scope an asynchronous composite's body runs its steps through. Steps may be started from any
 * thread, so the journal and the list of started steps are guarded by this scope's lock.
 */
final class AsyncScope implements AsyncSagaScope {

    private final AsyncEngine engine;
    private final SagaRun run;
    private final Journal journal;
    private final int parentIndex;
    private final List<CompletableFuture<?>> started = new ArrayList<>();

    AsyncScope(AsyncEngine engine, SagaRun run, Journal journal, int parentIndex) {
        this.engine = engine;
        this.run = run;
        this.journal = journal;
        this.parentIndex = parentIndex;
    }

    /** @return the index steps started here get as their parent, or -1 */
    int parentIndex() {
        return parentIndex;
    }

    @Override
    public <T> CompletionStage<T> run(AsyncAction<T> step) {
        Objects.requireNonNull(step, "step must not be null");
        return engine.runStep(run, this, step);
    }

    @Override
    public <T> CompletionStage<T> run(Action<T> step) {
        Objects.requireNonNull(step, "step must not be null");
        SyncScope running = ThreadScope.current();
        if (running != null && running.run == run) {
            // Started inside a running step's forwards: that step's child (rule 14).
            try {
                return CompletableFuture.completedFuture(engine.sync().runStep(run, running, step));
            } catch (Throwable failure) {
                return CompletableFuture.failedFuture(failure);
            }
        }
        CompletableFuture<Void> settled = new CompletableFuture<>();
        int slot = begin(settled);
        if (slot < 0) {
            return CompletableFuture.failedFuture(closed());
        }
        Journal stepJournal = new Journal();   // the step itself, or a sync composite's completed steps
        try {
            return CompletableFuture.completedFuture(engine.sync().runStep(run, SyncScope.body(run, parentIndex, stepJournal), step));
        } catch (Throwable failure) {
            return CompletableFuture.failedFuture(failure);
        } finally {
            fill(slot, stepJournal);
            settled.complete(null);
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
     * Admits a step about to start: reserves its slot in the journal and tracks {@code settled}, which the
     * caller completes once the step has settled (its slot filled, or its own compensation done). Both
     * happen under the lock, before the step's forwards runs, so that {@link #settle()} can never close
     * the scope — and the saga roll back — while a step is still starting on another thread.
     * @return the step's slot, or -1 when the scope is closed and the step must not start
     */
    synchronized int begin(CompletableFuture<?> settled) {
        if (journal.isClosed()) {
            return -1;
        }
        started.add(settled);
        return journal.reserve();
    }

    synchronized void fill(int slot, Object entry) {
        journal.set(slot, entry);
    }

    /**
     * Completes once every step started in this scope has settled — including steps started by
     * callbacks while waiting — and closes the scope, so that no step can slip in after a rollback.
     */
    CompletableFuture<Void> settle() {
        CompletableFuture<?>[] pending;
        synchronized (this) {
            if (started.stream().allMatch(CompletableFuture::isDone)) {
                journal.close();
                return CompletableFuture.completedFuture(null);
            }
            pending = started.toArray(new CompletableFuture<?>[0]);
        }
        return CompletableFuture.allOf(pending).handle((ignored, failure) -> null).thenCompose(ignored -> settle());
    }

    IllegalStateException closed() {
        return new IllegalStateException("The scope of " + run + " is closed: its body has completed");
    }
}
