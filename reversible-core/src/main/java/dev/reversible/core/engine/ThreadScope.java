package dev.reversible.core.engine;

/**
 * The scopes bound to one thread: the innermost one is where a step started on this thread takes its
 * place (rule 14). One small holder per thread, bound while a saga runs on it and unbound when the
 * outermost scope ends, so a pooled thread never carries a saga into its next task. A step swaps its
 * scope in and out with one thread-local look-up; the holder is never unbound while a compensation or a
 * listener has the saga suspended, so it stays the same object for as long as a step runs.
 *
 * <p>A running step's own scope is made only when something asks for it — a child starting, or
 * {@link #current()} — since most steps never have children: until then the holder keeps just the body
 * the step belongs to and its index ({@link #startStep}), and the step stands in its journal by itself.
 *
 * <p>Unbinding sets the thread-local to {@code null} rather than removing it: the next saga on the
 * thread then finds its entry and only sets it again, and a {@code null} value pins no class loader.
 */
final class ThreadScope {

    private static final ThreadLocal<ThreadScope> CURRENT = new ThreadLocal<>();

    /** What {@link #suspend()} returns when the holder was bound but held no scope. */
    private static final SyncScope NOTHING = SyncScope.body(null, -1, null);

    /** The scope a step started now on this thread joins, or {@code null} (none, or suspended) — unless {@link #stepOwner} is set. */
    private SyncScope current;
    /** Set while a step runs here whose own scope nobody asked for yet: the body it belongs to. */
    private SyncScope stepOwner;
    /** The index of that step. */
    private int stepIndex;
    /** How many suspensions are open on this thread: the holder is not unbound meanwhile. */
    private int suspensions;
    /** The thread this holder belongs to, so that a body that kept it can use it without a thread-local look-up. */
    private final Thread thread = Thread.currentThread();
    /** Set once the holder is unbound: a body that kept it must look its thread's holder up again. */
    private boolean unbound;

    private ThreadScope() {
    }

    /** @return whether this is the holder bound to the calling thread (see {@link SyncScope.Body#holder()}) */
    boolean isBoundHere() {
        return !unbound && thread == Thread.currentThread();
    }

    private void unbind() {
        unbound = true;
        CURRENT.set(null);
    }

    /** @return the innermost scope bound to this thread, or {@code null} */
    static SyncScope current() {
        ThreadScope thread = CURRENT.get();
        return thread == null ? null : thread.innermost();
    }

    /** @return this thread's holder, or {@code null} when none is bound */
    static ThreadScope bound() {
        return CURRENT.get();
    }

    /**
     * @param hint this thread's holder as the caller last saw it, or {@code null}
     * @return {@link #bound()}, without a thread-local look-up when {@code hint} is still the holder bound here
     */
    static ThreadScope bound(ThreadScope hint) {
        return hint != null && hint.isBoundHere() ? hint : CURRENT.get();
    }

    /** @return this thread's holder, bound now if it was not */
    static ThreadScope holder() {
        ThreadScope thread = CURRENT.get();
        if (thread == null) {
            thread = new ThreadScope();
            CURRENT.set(thread);
        }
        return thread;
    }

    /** @return the innermost scope, making the running step's own scope first if it was not made yet */
    private SyncScope innermost() {
        SyncScope owner = stepOwner;
        if (owner != null) {
            current = SyncScope.step(owner.run, stepIndex, owner);
            stepOwner = null;
        }
        return current;
    }

    /**
     * @return the innermost scope of {@code run} on this thread, or {@code null} when the innermost one
     *     belongs to no saga or to another saga
     */
    SyncScope innermostOf(SagaRun run) {
        SyncScope owner = stepOwner;
        if (owner != null) {
            return owner.run == run ? innermost() : null;
        }
        SyncScope scope = current;
        return scope != null && scope.run == run ? scope : null;
    }

    /** @return the step scope bound as innermost now, to hand back to {@link #endStep} (with the two below) */
    SyncScope outerScope() {
        return current;
    }

    SyncScope outerStepOwner() {
        return stepOwner;
    }

    int outerStepIndex() {
        return stepIndex;
    }

    /** Makes a step starting now in {@code owner}'s body the innermost one here, without making its scope. */
    void startStep(SyncScope owner, int index) {
        stepOwner = owner;
        stepIndex = index;
    }

    /**
     * Ends the step {@link #startStep} started and binds again what was bound before it.
     * @return the step's own scope when something made it while the step ran, else {@code null}
     */
    SyncScope endStep(SyncScope outer, SyncScope outerOwner, int outerIndex, SagaRun run, int index) {
        SyncScope own = null;
        if (stepOwner == null) {
            // Its scope was made (or something was bound over it): only then has the innermost scope changed.
            own = current;
            if (own != null && (own.run != run || own.parentIndex != index)) {
                own = null;   // an unbalanced SagaContext.bind in the step: not its scope
            }
            current = outer;
        }
        stepOwner = outerOwner;
        stepIndex = outerIndex;
        if (outer == null && outerOwner == null && suspensions == 0) {
            unbind();
        }
        return own;
    }

    /**
     * Makes {@code scope} the innermost scope of this thread.
     * @return the scope it replaces (possibly {@code null}), to hand back to {@link #restore}
     */
    SyncScope swap(SyncScope scope) {
        SyncScope outer = innermost();
        current = scope;
        return outer;
    }

    /** Puts back what {@link #swap} replaced; unbinds the holder when nothing is left bound or suspended. */
    void restore(SyncScope outer) {
        current = outer;
        stepOwner = null;
        if (outer == null && suspensions == 0) {
            unbind();
        }
    }

    /**
     * Makes {@code scope} the innermost scope of this thread.
     * @return the scope it replaces (possibly {@code null}), to hand back to {@link #exit}
     */
    static SyncScope enter(SyncScope scope) {
        return holder().swap(scope);
    }

    /** Restores the scope {@link #enter} replaced; unbinds the holder when no scope is left. */
    static void exit(SyncScope outer) {
        ThreadScope thread = CURRENT.get();
        if (thread != null) {
            thread.restore(outer);
        } else if (outer != null) {
            holder().current = outer;
        }
    }

    /** Binds {@code scope} (or nothing) as the innermost scope of this thread, whatever was bound. */
    static void replace(SyncScope scope) {
        if (scope != null) {
            ThreadScope thread = holder();
            thread.current = scope;
            thread.stepOwner = null;
            return;
        }
        ThreadScope thread = CURRENT.get();
        if (thread != null) {
            thread.restore(null);
        }
    }

    /**
     * Unbinds every scope of this thread while a compensation or a listener runs: what it starts is a
     * saga of its own, never a step of the saga it undoes or observes.
     * @return what to hand to {@link #resume}
     */
    static SyncScope suspend() {
        return suspend(CURRENT.get());
    }

    /**
     * {@link #suspend()} with this thread's holder at hand (listeners' events: one look-up for suspending and
     * resuming, not two).
     * @param thread {@link #bound()}, looked up just before
     */
    static SyncScope suspend(ThreadScope thread) {
        if (thread == null) {
            return null;
        }
        SyncScope suspended = thread.innermost();
        thread.current = null;
        thread.suspensions++;
        return suspended == null ? NOTHING : suspended;
    }

    /** Binds again what {@link #suspend} unbound. */
    static void resume(SyncScope suspended) {
        if (suspended == null) {
            return;
        }
        resume(CURRENT.get(), suspended);   // the same holder: it is not unbound while suspended
    }

    /**
     * Binds again what {@link #suspend(ThreadScope)} unbound.
     * @param thread the holder given to {@code suspend}: the same one is bound still, since it is not unbound while suspended
     */
    static void resume(ThreadScope thread, SyncScope suspended) {
        if (suspended == null) {
            return;
        }
        thread.suspensions--;
        thread.restore(suspended == NOTHING ? null : suspended);
    }
}
