package dev.reversible.core.engine;

import dev.reversible.core.Action;
import dev.reversible.core.CompensationFailedException;
import dev.reversible.core.CompositeAction;
import dev.reversible.core.RecordedSaga;
import dev.reversible.core.RollbackReport;
import dev.reversible.core.SagaStep;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The synchronous engine: runs sagas, steps and composites on the calling thread (rules 1–3, 5–11, 13, 14)
 * and rolls them back through {@link Rollback} and {@link Compensator}. Every scope it opens is bound to
 * the thread while its body or step runs, so that a step started there — by the body, or by a step's
 * own {@code forwards} — takes its place in it.
 */
final class SyncEngine {

    private final Settings settings;
    private final Compensator compensator;
    private final AsyncEngine async;
    /** The running sagas whose id someone has asked for — only they can be cancelled by id. */
    private final ConcurrentHashMap<String, SagaRun> running = new ConcurrentHashMap<>();

    SyncEngine(Settings settings, Compensator compensator, AsyncEngine async) {
        this.settings = settings;
        this.compensator = compensator;
        this.async = async;
    }

    /** @return a run of a new outermost saga of this executor, synchronous or asynchronous */
    SagaRun newRun(String name) {
        return new SagaRun(name, this);
    }

    Settings settings() {
        return settings;
    }

    void register(String id, SagaRun run) {
        running.put(id, run);
    }

    void deregister(SagaRun run) {
        running.remove(run.id(), run);
    }

    /** @return how many sagas are in the registry of running sagas (for tests: an ended saga must leave it) */
    int registeredSagas() {
        return running.size();
    }

    /** @return whether a running saga with that id was found and cancelled now */
    boolean cancel(String id) {
        SagaRun run = running.get(id);
        return run != null && run.cancel();
    }

    /**
     * @return the companion that tracks the asynchronous steps of a synchronous body, run by the asynchronous engine of
     *     the same executor
     */
    AsyncScope asyncScope(SagaRun run, SyncScope body) {
        return new AsyncScope(async, run, body);
    }

    /**
     * Executes an action as an outermost saga.
     * @param kept when not {@code null}, receives what a successful run leaves to undo (a composite's
     *     direct {@code backwards()})
     */
    <T> T execute(Action<T> action, Journal kept) throws Exception {
        Objects.requireNonNull(action, "action must not be null");
        SagaRun run = newRun(action.name());
        if (action instanceof CompositeAction<T> composite) {
            run.configure(settings.access().options(composite));
        }
        run.open();
        run.sagaStarted();
        long start = run.now();
        // An outermost composite needs no root scope: its body's journal is the saga's, and its body's scope is
        // the only one bound to a thread. A lone step, or a direct call keeping its steps, takes a root.
        CompositeAction<T> outermost = kept == null && action instanceof CompositeAction<T> composite ? composite : null;
        Journal journal = outermost != null ? null : kept != null ? kept : new Journal();
        SyncScope root = outermost != null ? null : SyncScope.body(run, -1, journal);
        T result = null;
        Throwable failure = null;
        try {
            result = outermost != null ? runComposite(run, null, outermost) : runStep(run, root, action);
        } catch (Throwable thrown) {
            failure = thrown;
        }
        if (root != null) {
            // Asynchronous children of a lone step end before its saga does; one failing late undoes the step.
            Throwable ended = awaitAsynchronousSteps(root, failure);
            if (failure == null && ended != null) {
                failure = rollBack(run, journal, ended);
            } else {
                failure = ended;
            }
            if (failure == null) {
                failure = run.checkCompletion();
            }
            if (run.isStop(failure)) {
                // Cancelled as the step ended, or before the saga completed: the step took its place, so undo it.
                failure = rollBack(run, journal, failure);
            }
            root.close();   // a scope captured inside the saga can no longer add to it
        }
        if (failure != null) {
            run.sagaEnded(start, failure);
            throw Sneaky.<Exception>rethrow(failure);
        }
        run.sagaCompleted(start);
        return result;
    }

    /** Undoes a journal outside any running saga (a composite's direct {@code backwards()}). */
    void rollbackDirect(String name, Journal journal) {
        SagaRun run = new SagaRun(name, this);
        Throwable outcome = rollBack(run, journal, null);
        run.leaveRegistry();   // its listeners may have asked for its id
        if (outcome != null) {
            throw (CompensationFailedException) outcome;
        }
    }

    /**
     * Rolls back a saga known from its record, exactly as a live rollback (rules 7, 10, 14): its steps in
     * the live engine's order, each compensation with the executor's retry, the rollback under its policy,
     * every event sent and the report made by the same code.
     */
    RollbackReport rollBack(RecordedSaga recorded, int[] indexes, int[] parentIndexes, Object[] actions) {
        SagaRun run = new SagaRun(recorded, this);
        run.sagaStarted();
        long start = System.nanoTime();
        Throwable outcome = rollBack(run, RecordedSteps.journal(run, indexes, parentIndexes, actions), recorded.failure());
        RollbackReport report = run.rolledBack(outcome);
        run.sagaRolledBack(start, report);
        return report;
    }

    /**
     * Runs one step in {@code scope} (rules 1, 2, 6, 14): it takes its slot and index when it starts; while
     * its {@code forwards} runs, steps started on this thread are its children; when it fails, its
     * completed children and then the step itself are undone before its exception leaves here.
     */
    <T> T runStep(SagaRun run, SyncScope scope, Action<T> step) throws Exception {
        return runStep(run, scope, step, null);
    }

    /** @param thread this thread's holder when the caller has it at hand, else {@code null} */
    <T> T runStep(SagaRun run, SyncScope scope, Action<T> step, ThreadScope thread) throws Exception {
        run.checkStepStart();
        if (step instanceof CompositeAction<T> composite) {
            return runComposite(run, scope, composite);
        }
        // Once the saga has asynchronous steps, a body may be ending on another thread: admit this step
        // through its tracker, so the body waits for it rather than closing under it.
        AsyncScope tracking = run.isShared() ? scope.owner().asyncScopeIfAny() : null;
        CompletableFuture<Throwable> tracker = tracking == null ? null : new CompletableFuture<>();
        int slot = tracking == null ? scope.reserve() : tracking.admit(scope, tracker);
        if (slot < 0) {
            throw scope.closed();
        }
        try {
            return runLeaf(run, scope, slot, step, thread);
        } finally {
            if (tracker != null) {
                tracker.complete(null);   // its failure, if any, reached its caller: not the body's to decide
            }
        }
    }

    /**
     * Runs a step's {@code forwards} with the step innermost on this thread; its own scope is made only if
     * a child or {@link dev.reversible.core.SagaExecutor#currentScope()} asks for it ({@link ThreadScope#startStep}).
     */
    private <T> T runLeaf(SagaRun run, SyncScope scope, int slot, Action<T> leaf, ThreadScope bound) throws Exception {
        int index = run.nextStepIndex();
        Action<T> step = run.isPlacing() ? run.placed(leaf) : leaf;
        ThreadScope thread = bound;
        if (step instanceof SagaStep placed) {
            placed.started(run, index, scope.parentIndex);
            thread = null;
        }
        if (run.isListening()) {
            run.stepStarted(step, index, scope.parentIndex, thread);
            thread = null;
        }
        if (thread == null) {
            // User code ran since the caller looked the holder up (or it had none): it may have unbound it.
            thread = ThreadScope.holder();
        }
        SyncScope outer = thread.outerScope();
        SyncScope outerOwner = thread.outerStepOwner();
        int outerIndex = thread.outerStepIndex();
        thread.startStep(scope.owner(), index);
        long start = run.stepStart();
        T result;
        try {
            result = step.forwards();
        } catch (Throwable failure) {
            SyncScope own = thread.endStep(outer, outerOwner, outerIndex, run, index);
            throw Sneaky.<Exception>rethrow(failed(run, own, step, start, failure));
        }
        SyncScope own = thread.endStep(outer, outerOwner, outerIndex, run, index);
        run.stepCompleted(step, start, thread);
        Object orphan = own == null ? (scope.fill(slot, step) ? null : step) : own.closeStepInto(step, scope, slot);
        if (orphan != null) {
            throw Sneaky.<Exception>rethrow(undoOrphan(run, scope, orphan, Names.ofStep(step), null));
        }
        run.checkStepEnd();
        return result;
    }

    /**
     * Compensates, on its own, what a step left that ended after the step that started it had failed — its
     * parent's children were rolled back meanwhile, so it could no longer take its slot (an orphan).
     * @return what its caller gets: see {@link SyncScope#orphanOutcome}
     */
    private Throwable undoOrphan(SagaRun run, SyncScope target, Object entry, String name, Throwable ownFailure) {
        return target.orphanOutcome(name, rollBack(run, Journal.of(entry), null), ownFailure);
    }

    /** Undoes a failed step — its completed children, latest first, then itself — and says what to throw. */
    private Throwable failed(SagaRun run, SyncScope own, Object step, long start, Throwable failure) {
        run.stepFailed(step, start, failure);
        Journal children = own == null ? null : own.closeFailedStep(step);
        if (children != null) {
            return rollBack(run, children, failure);
        }
        Throwable compensationFailure = compensator.compensate(run, step);
        if (compensationFailure != null) {
            return run.own(new CompensationFailedException(failure, List.of(compensationFailure), List.of(Names.ofStep(step))));
        }
        return failure;
    }

    /**
     * Runs a composite's body (rules 5, 7, 8) with its own journal, which takes its place in
     * {@code scope} when the composite starts; its completed steps stay there unless rolled back.
     * @param scope where the composite takes its place, or {@code null} for the outermost composite
     */
    private <T> T runComposite(SagaRun run, SyncScope scope, CompositeAction<T> composite) throws Exception {
        int slot = scope == null ? -1 : scope.reserve();
        if (scope != null && slot < 0) {
            throw scope.closed();
        }
        Journal journal = new Journal();
        SyncScope.Body body = SyncScope.body(run, scope == null ? -1 : scope.parentIndex, journal);
        ThreadScope thread = ThreadScope.holder();
        SyncScope outer = thread.swap(body);
        body.runsOn(thread);
        T result = null;
        Throwable failure = null;
        try {
            result = settings.access().body(composite).run(body);
        } catch (Throwable thrown) {
            failure = thrown;
        } finally {
            ThreadScope.exit(outer);
        }
        failure = awaitAsynchronousSteps(body, failure);
        if (failure == null && scope == null) {
            failure = run.checkCompletion();   // the outermost composite's end: a cancelled saga does not complete
        }
        body.close();
        if (failure == null) {
            if (!keep(scope, slot, journal)) {
                throw Sneaky.<Exception>rethrow(undoOrphan(run, scope, journal, composite.name(), null));
            }
            return result;
        }
        if (run.decide(run.isStop(failure) || settings.access().options(composite).rollsBackOn(failure), failure)) {
            throw Sneaky.<Exception>rethrow(rollBack(run, journal, failure));
        }
        // Completed steps stand, but an enclosing rollback still undoes them.
        if (!keep(scope, slot, journal)) {
            throw Sneaky.<Exception>rethrow(undoOrphan(run, scope, journal, composite.name(), failure));
        }
        throw Sneaky.<Exception>rethrow(failure);
    }

    /**
     * A body that started asynchronous steps ends only after all of them have: it waits, blocking, as a
     * synchronous saga must. A step that fails after the body returned could not be handled by it, so
     * it fails the composite.
     * @return the body's own failure, else a late step's failure, else {@code null}
     */
    private static Throwable awaitAsynchronousSteps(SyncScope body, Throwable failure) {
        AsyncScope async = body.asyncScopeIfAny();
        if (async == null) {
            return failure;
        }
        async.bodyEnded();
        Throwable late = async.settle().join();
        return async.outcome(failure != null ? failure : late);
    }

    /** @return whether the journal took its slot (or had nothing to keep); {@code false}: it must be undone now */
    private static boolean keep(SyncScope parent, int slot, Journal journal) {
        return parent == null || journal.isEmpty() || parent.fill(slot, journal);
    }

    /**
     * Compensates every entry of {@code journal} in reverse order under the policy (rule 10).
     * @return what to throw: {@code failure} itself when every compensation succeeded, else a
     *     {@link CompensationFailedException}
     */
    Throwable rollBack(SagaRun run, Journal journal, Throwable failure) {
        if (run.isParallel()) {
            return parallelRollBack(run, journal, failure).join();
        }
        Rollback rollback = new Rollback(settings.policy(), run, journal, failure);
        for (Object leaf = rollback.next(); leaf != null; leaf = rollback.next()) {
            rollback.record(leaf, compensator.compensate(run, leaf));
        }
        return rollback.outcome();
    }

    /** Compensates {@code journal} in happens-before order (rule 15): see {@link ParallelRollback}. */
    private CompletableFuture<Throwable> parallelRollBack(SagaRun run, Journal journal, Throwable failure) {
        return new ParallelRollback(settings.policy(), run, compensator, Timeouts.workers(), journal, failure).start();
    }
}
