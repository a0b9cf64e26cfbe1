package dev.reversible.spring.aop;

import dev.reversible.core.SagaScope;

import org.aopalliance.intercept.MethodInvocation;

/**
 * The state of the outermost saga running on the current thread: the innermost scope that steps join,
 * the step counter, and the invocation handed from the interceptor to a composite's body. Opened by
 * the outermost saga (or a lone action) for that one invocation and removed from the thread on every
 * exit path, so a pooled thread never carries a saga into the next request.
 */
final class SagaThread {

    private static final ThreadLocal<SagaThread> CURRENT = new ThreadLocal<>();

    /** The saga this one interrupted: a compensation handler may itself start a saga or a lone action. */
    private final SagaThread interrupted;
    private SagaScope scope;
    private MethodInvocation handoff;
    private int nextStepIndex;

    private SagaThread(SagaThread interrupted) {
        this.interrupted = interrupted;
    }

    /**
     * @return the saga whose body is running on this thread — the one a step or a nested saga joins — or
     *     {@code null} when there is none: no saga at all, or one that is rolling back or reporting (its
     *     body has exited, so a compensation handler's own calls start sagas of their own)
     */
    static SagaThread running() {
        SagaThread thread = CURRENT.get();
        return thread != null && thread.scope != null ? thread : null;
    }

    /** @return the current thread's saga state, whatever it is doing, or {@code null} */
    static SagaThread current() {
        return CURRENT.get();
    }

    /** Binds a new outermost saga to this thread, carrying the invocation its body will proceed with. */
    static SagaThread open(MethodInvocation invocation) {
        SagaThread thread = new SagaThread(CURRENT.get());
        thread.handoff = invocation;
        CURRENT.set(thread);
        return thread;
    }

    /** Unbinds this saga (called in {@code finally} by whoever opened it), restoring the one it interrupted, if any. */
    void close() {
        if (interrupted != null) {
            CURRENT.set(interrupted);
        } else {
            CURRENT.remove();
        }
    }

    /** Hands an invocation to the body of the composite about to run. */
    void handOff(MethodInvocation invocation) {
        handoff = invocation;
    }

    /** Takes the invocation handed off for the body that has just started. */
    MethodInvocation takeHandoff() {
        MethodInvocation invocation = handoff;
        handoff = null;
        return invocation;
    }

    /** @return the scope steps join now */
    SagaScope scope() {
        return scope;
    }

    /**
     * Makes {@code inner} the scope steps join.
     * @return the previous scope, to restore with {@link #exit(SagaScope)}
     */
    SagaScope enter(SagaScope inner) {
        SagaScope outer = scope;
        scope = inner;
        return outer;
    }

    void exit(SagaScope outer) {
        scope = outer;
    }

    int nextStepIndex() {
        return nextStepIndex++;
    }
}
