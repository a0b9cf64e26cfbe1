package dev.reversible.core.engine;

import dev.reversible.core.Action;
import dev.reversible.core.AsyncAction;
import dev.reversible.core.CompensationFailedException;
import dev.reversible.core.SagaInfo;
import dev.reversible.core.SagaScope;

import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A place where steps take their place, bound to the thread while it is open: a composite's body (or
 * the saga's root), or a running step — whose {@code forwards} may start steps of its own, its children
 * (rule 14). A body scope stays open until every asynchronous step started in it has ended; a step's
 * scope closes when its {@code forwards} returns. A step can never join a closed scope: it could no
 * longer be undone.
 *
 * <p>The steps of a running step are kept in a journal created with the first child, whose slot 0
 * holds the parent itself: walking it in reverse undoes the children, latest first, then the parent.
 *
 * <p>Until the saga starts its first asynchronous step everything here runs on one thread, without a
 * lock; from then on ({@link SagaRun#isShared()}) every journal change is made under the saga's lock.
 */
class SyncScope implements SagaScope {

    final SagaRun run;
    /** The index a step started here gets as its parent, or -1 for none. */
    final int parentIndex;
    /** The body scope this scope belongs to: itself for a body, the enclosing body for a step. */
    private final SyncScope owner;
    /** Steps started here, in order of start; for a running step created with its first child. */
    private Journal journal;
    /** Written under the saga's lock once it is shared; read there when it matters (admitting a step). */
    private boolean closed;

    SyncScope(SagaRun run, int parentIndex, Journal journal, SyncScope owner) {
        this.run = run;
        this.parentIndex = parentIndex;
        this.journal = journal;
        this.owner = owner == null ? this : owner;
    }

    /** The scope of a synchronous composite's body (or of the saga's root): its journal exists from the start. */
    static Body body(SagaRun run, int parentIndex, Journal journal) {
        return new Body(run, parentIndex, journal);
    }

    /** The scope bound to the thread while an asynchronous composite's body runs. */
    static SyncScope asyncBody(SagaRun run, AsyncScope scope, Journal journal) {
        Body body = new Body(run, scope.parentIndex(), journal);
        body.async = scope;
        return body;
    }

    /** The scope of a running step: its children, if it ever has any, go to a journal made on demand. */
    static SyncScope step(SagaRun run, int stepIndex, SyncScope owner) {
        return new SyncScope(run, stepIndex, null, owner);
    }

    SyncScope owner() {
        return owner;
    }

    @Override
    public <T> T run(Action<T> step) throws Exception {
        Objects.requireNonNull(step, "step must not be null");
        ThreadScope thread = holder();   // one look-up (at most) both to find the target and to run the step
        return run.engine().runStep(run, target(thread == null ? null : thread.innermostOf(run)), step, thread);
    }

    @Override
    public <T> CompletionStage<T> runAsync(AsyncAction<T> step) {
        Objects.requireNonNull(step, "step must not be null");
        SyncScope target = target();
        return target.owner.asyncScope().runStep(target, step);
    }

    @Override
    public SagaInfo saga() {
        return run;
    }

    /**
     * Where a step run through this scope takes its place: the innermost scope of the same saga on this
     * thread when there is one — a body that runs a step from inside another step's {@code forwards}
     * starts that step's child — else this scope; a step that has ended is nobody's parent any more, so
     * its body takes the step instead.
     */
    SyncScope target() {
        SyncScope innermost = ThreadScope.current();
        return target(innermost != null && innermost.run == run ? innermost : null);
    }

    /** @param innermost the innermost scope of this saga on this thread, or {@code null} */
    private SyncScope target(SyncScope innermost) {
        SyncScope target = innermost != null ? innermost : this;
        while (target.closed && target.owner != target) {
            target = target.owner;
        }
        if (target.closed) {
            throw closed();
        }
        return target;
    }

    IllegalStateException closed() {
        // A step started after its saga ended could never be compensated: refuse it rather than lose it.
        return new IllegalStateException("Cannot join " + run + ": it has already ended, its scope is closed");
    }

    /** @return the calling thread's holder, or {@code null} when none is bound */
    ThreadScope holder() {
        return ThreadScope.bound();
    }

    /** @return the companion that tracks this body's asynchronous steps, made (and the saga shared) on first use */
    AsyncScope asyncScope() {
        throw new IllegalStateException("Only a body scope tracks asynchronous steps");
    }

    /** @return the companion, or {@code null} when no asynchronous step was ever started here */
    AsyncScope asyncScopeIfAny() {
        return null;
    }

    /**
     * Takes a slot for a step starting here.
     * @return the slot, or -1 when the scope has closed meanwhile (another thread ended the saga)
     */
    int reserve() {
        if (!run.isShared()) {
            return marked(journal().reserve());
        }
        synchronized (run) {
            return closed ? -1 : marked(journal().reserve());
        }
    }

    /** Notes when the slot was taken, for a parallel rollback (rule 15); nothing in a sequential saga. */
    private int marked(int slot) {
        if (run.isParallel()) {
            journal.markStart(slot, run.startedSteps());
        }
        return slot;
    }

    /**
     * Puts what stands for a step in its slot — unless this scope's steps are already being rolled back
     * (its step failed while this one was still pending): the caller must then compensate the entry itself.
     * @return whether the entry took its slot
     */
    boolean fill(int slot, Object entry) {
        if (!run.isShared()) {
            // Single-threaded: a scope's steps are never rolled back while one of them is still running.
            put(slot, entry);
            return true;
        }
        synchronized (run) {
            return fillHeld(slot, entry);
        }
    }

    /** {@link #fill} of a shared saga, its lock held. */
    private boolean fillHeld(int slot, Object entry) {
        if (journal.isUndone()) {
            return false;
        }
        put(slot, entry);
        return true;
    }

    private void put(int slot, Object entry) {
        journal.set(slot, entry);
        if (run.isParallel()) {
            journal.markEnd(slot, run.startedSteps());
        }
    }

    /** @return whether this scope's steps are being (or were) rolled back: a step settling now is an orphan */
    boolean isUndone() {
        synchronized (run) {
            return journal != null && journal.isUndone();
        }
    }

    /** @return the failure this scope's steps were rolled back for (read once {@link #fill} refused an entry) */
    Throwable undoneFor() {
        synchronized (run) {
            return journal.undoneFor();
        }
    }

    /**
     * What the caller of an orphan — a step that ended after this scope's steps were rolled back, so it could no
     * longer take its slot here, and was compensated on its own — gets once it is compensated: a
     * {@link CompensationFailedException} (whose cause is the parent's failure) when that failed — also handed to the
     * body, which fails with it, since nothing may be lost — else the orphan's own failure, else a
     * {@link CancellationException} saying it was undone, so that callbacks chained on it do not carry on with
     * undone work. Both engines ask it.
     * @param name the orphan's name
     * @param compensation what compensating it ended with: see {@link SyncEngine#rollBack}
     * @param ownFailure the orphan's own failure, or {@code null} when it succeeded
     */
    Throwable orphanOutcome(String name, Throwable compensation, Throwable ownFailure) {
        if (compensation instanceof CompensationFailedException incomplete) {
            CompensationFailedException failed = run.own(new CompensationFailedException(undoneFor(),
                    incomplete.failures(), incomplete.pending()));
            AsyncScope tracking = owner.asyncScopeIfAny();
            if (tracking != null) {
                tracking.orphanCompensationFailed(failed);
            }
            return failed;
        }
        if (ownFailure != null) {
            return ownFailure;
        }
        return new CancellationException("Step '" + name + "' of " + run
                + " ended after the step that started it had failed, so it has been undone");
    }

    /**
     * Tracks an asynchronous child admitted into this running step's scope (called under the saga's lock),
     * so that the step, should it fail asynchronously, can wait for it before undoing its children.
     */
    void trackChild(CompletableFuture<Throwable> settled) {
        if (owner != this) {
            journal().trackChild(settled);
        }
    }

    private Journal journal() {
        Journal steps = journal;
        if (steps == null) {
            steps = new Journal();
            steps.reserve();   // slot 0: the running step itself, filled when it ends
            if (run.isParallel()) {
                steps.holdChildren();
            }
            journal = steps;
        }
        return steps;
    }

    /**
     * Ends a running step's scope.
     * @param step the step
     * @return what stands for the step in its parent's journal: the step, or its journal of children
     */
    Object closeStep(Object step) {
        closed = true;
        if (!run.isShared()) {
            return withChildren(step);
        }
        synchronized (run) {
            return withChildren(step);
        }
    }

    /**
     * {@link #closeStep} and then {@link #fill} of {@code parent}, under one lock once the saga is shared.
     * @param parent the scope the step took its slot in
     * @return {@code null} when what stands for the step took its slot, else that entry: the caller must undo it
     */
    Object closeStepInto(Object step, SyncScope parent, int slot) {
        if (!run.isShared()) {
            closed = true;
            Object entry = withChildren(step);
            return parent.fill(slot, entry) ? null : entry;
        }
        synchronized (run) {
            closed = true;
            Object entry = withChildren(step);
            return parent.fillHeld(slot, entry) ? null : entry;
        }
    }

    private Object withChildren(Object step) {
        Journal children = journal;
        if (children == null) {
            return step;
        }
        children.set(0, step);
        return children;
    }

    /**
     * Ends a failed step's scope.
     * @return the journal of its children, its own slot filled, or {@code null} when it had none
     */
    Journal closeFailedStep(Object step) {
        Object entry = closeStep(step);
        return entry instanceof Journal children ? children : null;
    }

    void close() {
        if (!run.isShared()) {
            closed = true;
            return;
        }
        synchronized (run) {
            closed = true;
        }
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public String toString() {
        return "scope of " + run;
    }

    /**
     * The scope of a body (a composite's, or the saga's root): a step's scope stays small, and only a body
     * tracks the asynchronous steps started under it.
     */
    static final class Body extends SyncScope {

        /** Tracks the asynchronous steps started under this body; made with the first one. */
        private AsyncScope async;
        /**
         * The holder of the thread that runs this body, kept when the body is bound to it: each step the body
         * runs then finds it without a thread-local look-up (which was half the cost of a step).
         */
        private ThreadScope thread;

        Body(SagaRun run, int parentIndex, Journal journal) {
            super(run, parentIndex, journal, null);
        }

        @Override
        AsyncScope asyncScope() {
            AsyncScope scope = async;
            if (scope == null) {
                run.share();
                synchronized (run) {
                    scope = async;
                    if (scope == null) {
                        scope = run.engine().asyncScope(run, this);
                        async = scope;
                    }
                }
            }
            return scope;
        }

        @Override
        AsyncScope asyncScopeIfAny() {
            return async;
        }

        /** Keeps the holder of the thread this body is being bound to. */
        void runsOn(ThreadScope holder) {
            thread = holder;
        }

        @Override
        ThreadScope holder() {
            ThreadScope kept = thread;
            return kept != null && kept.isBoundHere() ? kept : ThreadScope.bound();
        }
    }
}
