package dev.reversible.spring.aop;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;

/**
 * The saga aspect's advice for the actions declared {@code @ReversibleAction(record = StepRecord.IN_TRANSACTION)},
 * placed right inside their own transaction advice by {@link AdvisorOrderPostProcessor}: when the step takes its
 * place, its transaction is already active, so a journal can write the step's record in it — the step and its
 * record commit or vanish together. Otherwise the very same {@link ReversibleInterceptor}.
 */
final class InTransactionStepInterceptor implements MethodInterceptor {

    private final ReversibleInterceptor interceptor;

    InTransactionStepInterceptor(ReversibleInterceptor interceptor) {
        this.interceptor = interceptor;
    }

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        return interceptor.invokeInsideTransaction(invocation);
    }

    @Override
    public String toString() {
        return "ReversibleInterceptor (inside the action's transaction advice)";
    }
}
