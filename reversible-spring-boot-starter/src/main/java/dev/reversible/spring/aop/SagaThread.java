package dev.reversible.spring.aop;

import dev.reversible.core.CompositeAction;
import dev.reversible.core.SagaExecutor;
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
     *     {@code null} when there is none: no saga at all, or an outermost saga whose body has exited
     *     (it is rolling back or reporting). Compensation handlers always run with the saga suspended
     *     ({@link #suspend()}), so their own calls start sagas of their own.
     */
    static SagaThread running() {
        SagaThread thread = CURRENT.get();
        return thread != null && thread.scope != null ? thread : null;
    }

    /** @return the current thread's saga state, whatever it is doing, or {@code null} (tests check nothing leaks) */
    static SagaThread current() {
        return CURRENT.get();
    }

    /** Binds a new outermost saga to this thread, carrying the invocation its body will proceed with. */
    private static SagaThread open(MethodInvocation invocation) {
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

    /**
     * Unbinds the current thread's saga while a compensation handler runs. The failed step's own
     * compensation runs while the saga's body (or a nested saga's, inside its outer one) is still on the
     * stack: without this, an action the handler calls would join that saga as a step, and the saga's
     * rollback would then undo the compensation's own work. Suspended, the handler's calls are sagas of
     * their own, exactly as when a compensation is replayed with no saga on the thread.
     * @return the suspended saga, or {@code null}, for {@link #resume(SagaThread)}
     */
    static SagaThread suspend() {
        SagaThread thread = CURRENT.get();
        if (thread != null) {
            CURRENT.remove();
        }
        return thread;
    }

    /** Binds again the saga {@link #suspend()} returned (called in {@code finally}). */
    static void resume(SagaThread suspended) {
        if (suspended != null) {
            CURRENT.set(suspended);
        }
    }

    /** What a composite's body does once it is the running scope: proceed, or run the call as a step. */
    @FunctionalInterface
    interface Body {
        Object run(SagaThread thread, MethodInvocation invocation, SagaScope scope) throws Throwable;
    }

    /**
     * Executes {@code composite} as the outermost saga on this thread, for this one invocation: the saga
     * is bound to the thread while it runs and unbound on every exit path.
     */
    static Object executeOutermost(SagaExecutor executor, CompositeAction<Object> composite, MethodInvocation invocation) throws Exception {
        SagaThread thread = open(invocation);
        try {
            return executor.execute(composite);
        } finally {
            thread.close();
        }
    }

    /**
     * The body of every composite the aspect runs: takes the invocation handed to it, makes {@code scope}
     * the one steps join while {@code body} runs, and restores the enclosing scope on every exit path.
     */
    static Object runBody(SagaScope scope, Body body) throws Exception {
        SagaThread thread = CURRENT.get();
        MethodInvocation invocation = thread.takeHandoff();
        SagaScope outer = thread.enter(scope);
        try {
            return body.run(thread, invocation, scope);
        } catch (Throwable failure) {
            throw Sneaky.<Exception>rethrow(failure);
        } finally {
            thread.exit(outer);
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
