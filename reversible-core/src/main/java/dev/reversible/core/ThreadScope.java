package dev.reversible.core;

/**
 * The scopes bound to one thread: the innermost one is where a step started on this thread takes its
 * place (rule 14). One small holder per thread, bound while a saga runs on it and removed when the
 * outermost scope ends, so a pooled thread never carries a saga into its next task. A step swaps its
 * scope in and out with one thread-local look-up; the holder is never removed while a compensation or a
 * listener has the saga suspended, so it stays the same object for as long as a step runs.
 */
final class ThreadScope {

    private static final ThreadLocal<ThreadScope> CURRENT = new ThreadLocal<>();

    /** What {@link #suspend()} returns when the holder was bound but held no scope. */
    private static final SyncScope NOTHING = SyncScope.body(null, -1, null);

    /** The scope a step started now on this thread joins, or {@code null} (none, or suspended). */
    private SyncScope current;
    /** How many suspensions are open on this thread: the holder is not removed meanwhile. */
    private int suspensions;

    private ThreadScope() {
    }

    /** @return the innermost scope bound to this thread, or {@code null} */
    static SyncScope current() {
        ThreadScope thread = CURRENT.get();
        return thread == null ? null : thread.current;
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

    /**
     * Makes {@code scope} the innermost scope of this thread.
     * @return the scope it replaces (possibly {@code null}), to hand back to {@link #restore}
     */
    SyncScope swap(SyncScope scope) {
        SyncScope outer = current;
        current = scope;
        return outer;
    }

    /** Puts back what {@link #swap} replaced; unbinds the holder when nothing is left bound or suspended. */
    void restore(SyncScope outer) {
        current = outer;
        if (outer == null && suspensions == 0) {
            CURRENT.remove();
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
            holder().current = scope;
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
        ThreadScope thread = CURRENT.get();
        if (thread == null) {
            return null;
        }
        SyncScope suspended = thread.current;
        thread.current = null;
        thread.suspensions++;
        return suspended == null ? NOTHING : suspended;
    }

    /** Binds again what {@link #suspend} unbound. */
    static void resume(SyncScope suspended) {
        if (suspended == null) {
            return;
        }
        ThreadScope thread = CURRENT.get();   // the same holder: it is not removed while suspended
        thread.suspensions--;
        thread.restore(suspended == NOTHING ? null : suspended);
    }
}
