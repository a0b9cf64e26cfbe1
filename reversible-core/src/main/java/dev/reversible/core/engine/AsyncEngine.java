package dev.reversible.core.engine;

import dev.reversible.core.AsyncAction;
import dev.reversible.core.AsyncCompositeAction;
import dev.reversible.core.CompensationFailedException;
import dev.reversible.core.SagaCancelledException;
import dev.reversible.core.SagaStep;
import dev.reversible.core.SagaStoppedException;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The asynchronous engine (rule 12): runs asynchronous sagas, steps and composites, and rolls them back
 * one compensation after another, in reverse order of the steps' start, without blocking a thread. A
 * step takes its place when it starts (rule 14); steps started while its {@code forwards} runs on the
 * calling thread are its children.
 */
final class AsyncEngine {

    private final Settings settings;
    private final Compensator compensator;

    AsyncEngine(Settings settings, Compensator compensator) {
        this.settings = settings;
        this.compensator = compensator;
    }

    /**
     * Executes an asynchronous action as an outermost saga.
     * @param run the saga's run, new (its executor's {@code SyncEngine} makes it: it runs the saga's synchronous steps)
     */
    <T> CompletableFuture<T> execute(SagaRun run, AsyncAction<T> action) {
        if (action instanceof AsyncCompositeAction<T> composite) {
            run.configure(settings.access().options(composite));
        }
        run.open();
        run.sagaStarted();
        long start = run.now();
        run.share();
        CompletableFuture<T> outcome;
        if (action instanceof AsyncCompositeAction<T> composite) {
            outcome = runComposite(run, new Journal(), -1, composite, true);
        } else {
            Journal journal = new Journal();
            AsyncScope root = new AsyncScope(this, run, journal, -1);
            outcome = runStep(run, root, root.frame(), action).handle((value, thrown) -> {
                Throwable failure = thrown == null ? run.checkCompletion() : Futures.unwrap(thrown);
                if (run.isStop(failure)) {
                    // Cancelled as the step ended, or before the saga completed: the step took its place, so undo it.
                    return rollBack(run, journal, failure).thenCompose(CompletableFuture::<T>failedFuture);
                }
                return thrown == null ? CompletableFuture.completedFuture(value) : CompletableFuture.<T>failedFuture(failure);
            }).thenCompose(stage -> stage);
        }
        // Before the end can be reported here: listeners unbind this thread from the saga first.
        run.sagaPending();
        CompletableFuture<T> result = new CompletableFuture<>();
        outcome.whenComplete((value, thrown) -> {
            if (thrown == null) {
                run.sagaCompleted(start);
                result.complete(value);
            } else {
                Throwable failure = Futures.unwrap(thrown);
                run.sagaEnded(start, failure);
                result.completeExceptionally(failure);   // the original instance, not a CompletionException
            }
        });
        return result;
    }

    /**
     * Starts one asynchronous step: it takes its slot in {@code target} (a body, or the running step whose
     * child it is) and is tracked by {@code tracking}, the body that waits for it. The returned future
     * settles after any own compensation; callbacks chained on it run with the body's scope bound to the
     * thread, so a step they start joins the saga — with no parent step.
     */
    <T> CompletableFuture<T> runStep(SagaRun run, AsyncScope tracking, SyncScope target, AsyncAction<T> step) {
        try {
            run.checkStepStart();
        } catch (SagaStoppedException stopped) {
            return CompletableFuture.failedFuture(stopped);
        }
        AsyncScope.Tracker tracker = new AsyncScope.Tracker();
        int slot = tracking.admit(target, tracker);
        if (slot < 0) {
            return CompletableFuture.failedFuture(tracking.closed());
        }
        CompletableFuture<T> settled;
        if (step instanceof AsyncCompositeAction<T> composite) {
            Journal journal = new Journal();
            settled = runComposite(run, journal, target.parentIndex, composite, false).<CompletableFuture<T>>handle((value, thrown) -> {
                // A rolled-back journal is empty by now; a kept one joins the parent either way — or, when
                // the parent failed meanwhile, is undone on its own.
                if (journal.isEmpty() || target.fill(slot, journal)) {
                    return thrown == null ? CompletableFuture.completedFuture(value) : CompletableFuture.<T>failedFuture(thrown);
                }
                return this.<T>undoOrphan(run, target, journal, composite.name(), thrown == null ? null : Futures.unwrap(thrown));
            }).thenCompose(stage -> stage);
        } else {
            try {
                settled = runLeaf(run, target, slot, step);
            } catch (Throwable failure) {
                // SagaStep.started threw: forwards never ran, nothing to undo; the tracker must still complete.
                settled = CompletableFuture.failedFuture(failure);
            }
        }
        // thenCompose wraps a failure in a CompletionException; the body must get the step's own
        // exception instance at the call point (rule 6), as execute's caller does.
        CompletableFuture<T> outcome = new CompletableFuture<>();
        if (settled.isDone()) {
            // Settled already (a step that did its work before it returned: the usual case), so whenComplete
            // would run the delivery here and now: run it without the stage.
            Throwable thrown = Futures.failureNow(settled);
            deliver(run, tracking, target, tracker, outcome, thrown == null ? settled.getNow(null) : null, thrown);
        } else {
            settled.whenComplete((value, thrown) -> deliver(run, tracking, target, tracker, outcome, value, thrown));
        }
        return outcome;
    }

    /** Hands a step's settled outcome to the body, once the tracking scope knows of it. */
    private static <T> void deliver(SagaRun run, AsyncScope tracking, SyncScope target, AsyncScope.Tracker tracker,
            CompletableFuture<T> outcome, T value, Throwable thrown) {
        Throwable failure = thrown == null ? null : Futures.unwrap(thrown);
        Throwable tracked = failure;
        if (failure != null && target.isUndone()) {
            // Its parent failed before it settled: the body had that failure to handle, not this one's;
            // but a compensation that failed is never lost.
            tracked = null;
            if (run.owns(failure)) {
                tracking.orphanCompensationFailed((CompensationFailedException) failure);
            }
        }
        AsyncScope.delivered(tracker);   // the body may see it now: a failure is the body's to handle
        SyncScope outer = ThreadScope.enter(tracking.frame());
        try {
            if (failure == null) {
                outcome.complete(value);
            } else {
                outcome.completeExceptionally(failure);
            }
        } finally {
            ThreadScope.exit(outer);
            // Only now may the body end: a step that callbacks on outcome started is admitted by now.
            tracker.complete(tracked);
        }
    }

    private <T> CompletableFuture<T> runLeaf(SagaRun run, SyncScope target, int slot, AsyncAction<T> leaf) {
        int index = run.nextStepIndex();
        AsyncAction<T> step = run.isPlacing() ? run.placed(leaf) : leaf;
        if (Compensator.LeafKind.of(step).step) {
            ((SagaStep) step).started(run, index, target.parentIndex);
        }
        SyncScope own = SyncScope.step(run, index, target.owner());
        run.stepStarted(step, index, target.parentIndex, null);
        long start = run.stepStart();
        // Steps started on this thread while forwards runs are its children; a pending future is nobody's parent.
        SyncScope outer = ThreadScope.enter(own);
        CompletableFuture<T> forwards;
        try {
            // A placed step bounds its own stage by its timeout, inside its record's view; any other is bounded here.
            CompletionStage<T> started = Futures.start(step::forwards);
            forwards = Futures.of(step instanceof PlacedStep ? started : Timeouts.bound(run.deadline(), run, step, started));
        } finally {
            ThreadScope.exit(outer);
        }
        // Before any completion callback can run here: listeners unbind this thread from the step first.
        run.stepPending(step);
        if (forwards.isDone()) {
            // Settled already (a step that did its work before it returned: the usual case), so handle would
            // run the continuation here and now: run it without the two stages around it.
            Throwable thrown = Futures.failureNow(forwards);
            return settleLeaf(run, target, slot, step, own, start, thrown == null ? forwards.getNow(null) : null, thrown);
        }
        return forwards.<CompletableFuture<T>>handle((value, thrown) -> settleLeaf(run, target, slot, step, own, start, value, thrown))
                .thenCompose(stage -> stage);
    }

    /** A leaf's outcome: its place filled and the stage the body gets, or its rollback (its children's first). */
    private <T> CompletableFuture<T> settleLeaf(SagaRun run, SyncScope target, int slot, AsyncAction<T> step, SyncScope own,
            long start, T value, Throwable thrown) {
        if (thrown == null) {
            run.stepCompleted(step, start, null);
            Object orphan = own.closeStepInto(step, target, slot);
            if (orphan == null) {
                try {
                    run.checkStepEnd();
                } catch (SagaCancelledException cancelled) {
                    return CompletableFuture.<T>failedFuture(cancelled);   // it took its place: the rollback undoes it
                }
                return CompletableFuture.completedFuture(value);
            }
            return this.<T>undoOrphan(run, target, orphan, Names.ofStep(step), null);
        }
        Throwable failure = Futures.unwrap(thrown);
        run.stepFailed(step, start, failure);
        Journal children = own.closeFailedStep(step);
        if (children == null) {
            return rollBack(run, Journal.of(step), failure).thenCompose(CompletableFuture::<T>failedFuture);
        }
        // Unlike a synchronous step, a failed asynchronous one can wait for its pending children without
        // blocking a thread: once they have settled, they are undone (latest first) before it (rule 14).
        return childrenSettled(run, children)
                .thenCompose(ignored -> rollBack(run, children, failure))
                .thenCompose(CompletableFuture::<T>failedFuture);
    }

    private static CompletableFuture<Void> childrenSettled(SagaRun run, Journal children) {
        synchronized (run) {
            return children.childrenSettled();
        }
    }

    /**
     * Compensates, on its own, what a step left that settled after the step that started it had failed — its
     * parent's children were rolled back meanwhile, so it could no longer take its slot (an orphan).
     * @return a future failed with what its caller gets (see {@link SyncScope#orphanOutcome})
     */
    private <T> CompletableFuture<T> undoOrphan(SagaRun run, SyncScope target, Object entry, String name, Throwable ownFailure) {
        return rollBack(run, Journal.of(entry), null).thenCompose(compensation ->
                CompletableFuture.<T>failedFuture(target.orphanOutcome(name, compensation, ownFailure)));
    }

    /**
     * Runs an asynchronous composite's body; waits for every step it started before deciding.
     * @param outermost whether the composite is the saga itself: its end is the saga's last boundary
     */
    <T> CompletableFuture<T> runComposite(SagaRun run, Journal journal, int parentIndex, AsyncCompositeAction<T> composite,
            boolean outermost) {
        run.share();
        AsyncScope scope = new AsyncScope(this, run, journal, parentIndex);
        CompletableFuture<T> body;
        SyncScope outer = ThreadScope.enter(scope.frame());
        try {
            body = Futures.of(Futures.start(() -> settings.access().body(composite).run(scope)));
        } finally {
            ThreadScope.exit(outer);
        }
        return body.handle((value, thrown) -> scope.settle().thenCompose(ignored -> {
            Throwable failure = scope.outcome(thrown == null ? null : Futures.unwrap(thrown));
            if (failure == null && outermost) {
                failure = run.checkCompletion();   // a cancelled saga does not complete
            }
            if (failure == null) {
                return CompletableFuture.completedFuture(value);
            }
            if (!run.decide(run.isStop(failure) || settings.access().options(composite).rollsBackOn(failure), failure)) {
                return CompletableFuture.<T>failedFuture(failure);
            }
            return rollBack(run, journal, failure).thenCompose(CompletableFuture::<T>failedFuture);
        })).thenCompose(stage -> stage);
    }

    /**
     * Compensates {@code journal} one compensation after another, in reverse order of the steps' start.
     * @return a future of what to fail with: the original failure, or a {@link CompensationFailedException}
     */
    CompletableFuture<Throwable> rollBack(SagaRun run, Journal journal, Throwable failure) {
        if (run.isParallel()) {
            return new ParallelRollback(settings.policy(), run, compensator, Timeouts.workers(), journal, failure).start();
        }
        Rollback rollback = new Rollback(settings.policy(), run, journal, failure);
        CompletableFuture<Throwable> done = new CompletableFuture<>();
        continueRollback(run, rollback, done);
        return done;
    }

    private void continueRollback(SagaRun run, Rollback rollback, CompletableFuture<Throwable> done) {
        // A loop while compensations finish at once, a callback only when one is really pending:
        // 100,000 already-complete compensations must not become 100,000 stack frames.
        for (Object leaf = rollback.next(); leaf != null; leaf = rollback.next()) {
            CompletableFuture<Throwable> compensation = compensator.compensateAsync(run, leaf);
            if (!compensation.isDone()) {
                Object pendingLeaf = leaf;
                compensation.thenAccept(compensationFailure -> {
                    rollback.record(pendingLeaf, compensationFailure);
                    continueRollback(run, rollback, done);
                });
                return;
            }
            rollback.record(leaf, compensation.join());
        }
        done.complete(rollback.outcome());
    }
}
