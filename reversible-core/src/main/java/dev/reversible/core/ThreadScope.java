package dev.reversible.core;

/**
 * The scopes bound to one thread: the innermost one is where a step started on this thread takes its
 * place (rule 14). One small holder per thread, bound while a saga runs on it and removed when the
 * outermost scope ends, so a pooled thread never carries a saga into its next task. Entering and
 * leaving a scope is a field write on the holder; only the outermost entry touches the thread-local map.
 */
final class ThreadScope {

    private static final ThreadLocal<ThreadScope> CURRENT = new ThreadLocal<>();

    /** The scope a step started now on this thread joins, or {@code null} (none, or suspended). */
    private SyncScope current;

    private ThreadScope() {
    }

    /** @return the innermost scope bound to this thread, or {@code null} */
    static SyncScope current() {
        ThreadScope thread = CURRENT.get();
        return thread == null ? null : thread.current;
    }

    /**
     * Makes {@code scope} the innermost scope of this thread.
     * @return the scope it replaces (possibly {@code null}), to hand back to {@link #exit}
     */
    static SyncScope enter(SyncScope scope) {
        ThreadScope thread = CURRENT.get();
        if (thread == null) {
            thread = new ThreadScope();
            CURRENT.set(thread);
        }
        SyncScope outer = thread.current;
        thread.current = scope;
        return outer;
    }

    /** Restores the scope {@link #enter} replaced; unbinds the holder when no scope is left. */
    static void exit(SyncScope outer) {
        if (outer == null) {
            CURRENT.remove();
            return;
        }
        ThreadScope thread = CURRENT.get();
        if (thread == null) {
            thread = new ThreadScope();
            CURRENT.set(thread);
        }
        thread.current = outer;
    }

    /** Binds {@code scope} (or nothing) as the innermost scope of this thread, whatever was bound. */
    static void replace(SyncScope scope) {
        if (scope == null) {
            CURRENT.remove();
        } else {
            exit(scope);
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
        return suspended;
    }

    /** Binds again what {@link #suspend} unbound (a saga started meanwhile may have removed the holder). */
    static void resume(SyncScope suspended) {
        if (suspended != null) {
            exit(suspended);
        }
    }
}
