package dev.reversible.spring.aop;

import dev.reversible.core.AttemptAwareAction;

import org.aopalliance.intercept.MethodInvocation;

/**
 * A synchronous {@link dev.reversible.spring.annotation.ReversibleAction} call as a core step: its
 * {@code forwards} is the method call, its compensation the bound {@code @Compensate} handler.
 *
 * <pre>{@code
 * Object result = scope.run(new StepAction(operation, invocation, false));
 * }</pre>
 */
public final class StepAction extends StepCall implements AttemptAwareAction<Object> {

    StepAction(StepOperation operation, MethodInvocation invocation, boolean insideTransactionAdvice) {
        super(operation, invocation, insideTransactionAdvice);
    }

    @Override
    public Object forwards() throws Exception {
        try {
            Object value = proceed();
            succeeded(value);
            return value;
        } catch (Throwable e) {
            failed(e);
            throw Sneaky.<Exception>rethrow(e);
        }
    }

    @Override
    public void backwards(int attempt) throws Exception {
        compensate(attempt);
    }
}
