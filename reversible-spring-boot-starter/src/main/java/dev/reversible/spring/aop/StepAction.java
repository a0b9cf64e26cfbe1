package dev.reversible.spring.aop;

import dev.reversible.core.AttemptAwareAction;
import dev.reversible.core.SagaInfo;
import dev.reversible.spring.CompensationContext;
import dev.reversible.spring.metadata.ActionSpec;

import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.ProxyMethodInvocation;

/**
 * One call of a {@link dev.reversible.spring.annotation.ReversibleAction} method as a core step. Its
 * compensation is data — the action spec (which resolves the handler), the bean's name, the call's
 * arguments, its result or failure, its step index and saga — not an opaque lambda, so that it can later
 * be written to a journal and replayed.
 *
 * <pre>{@code
 * Object result = scope.run(new StepAction(operation, invocation, thread.nextStepIndex(), scope.saga()));
 * }</pre>
 */
public final class StepAction implements AttemptAwareAction<Object> {

    private final StepOperation operation;
    private final MethodInvocation invocation;
    private final int stepIndex;
    private final SagaInfo saga;
    private Object result;
    private Throwable failure;

    StepAction(StepOperation operation, MethodInvocation invocation, int stepIndex, SagaInfo saga) {
        this.operation = operation;
        this.invocation = invocation;
        this.stepIndex = stepIndex;
        this.saga = saga;
    }

    @Override
    public Object forwards() throws Exception {
        try {
            result = invocation.proceed();
            return result;
        } catch (Throwable e) {
            failure = e;
            throw Sneaky.<Exception>rethrow(e);
        }
    }

    @Override
    public void backwards(int attempt) throws Exception {
        // The handler's own calls must never become steps of the saga being rolled back: see SagaThread.suspend().
        SagaThread suspended = SagaThread.suspend();
        try {
            spec().handler().invoke(receiver(), invocation.getArguments(), result,
                    new Context(saga.id(), saga.name(), spec().name(), stepIndex, result, failure, attempt));
        } finally {
            SagaThread.resume(suspended);
        }
    }

    private Object receiver() {
        Object proxy = invocation instanceof ProxyMethodInvocation proxied ? proxied.getProxy() : null;
        return spec().handler().receiver(proxy, invocation.getThis());
    }

    @Override
    public String name() {
        return spec().name();
    }

    /** @return the action's spec */
    public ActionSpec spec() {
        return operation.spec();
    }

    /** @return the name of the bean the action ran on, or {@code null} when it is not a singleton bean */
    public String beanName() {
        return operation.beanName(invocation.getThis());
    }

    /** @return the call's arguments, as the handler will receive them */
    public Object[] arguments() {
        return invocation.getArguments();
    }

    /** @return the position of this step, from 0, within the outermost saga */
    public int stepIndex() {
        return stepIndex;
    }

    /** @return the outermost saga this step ran in */
    public SagaInfo saga() {
        return saga;
    }

    @Override
    public String toString() {
        return "StepAction[" + spec().name() + " #" + stepIndex + " in " + saga.name() + "]";
    }

    private record Context(String sagaId, String sagaName, String stepName, int stepIndex, Object result, Throwable failure,
            int attempt) implements CompensationContext {
    }
}
