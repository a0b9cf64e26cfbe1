package dev.reversible.spring.aop;

import java.util.function.Supplier;

import dev.reversible.core.CompositeAction;
import dev.reversible.core.Reversible;
import dev.reversible.core.SagaExecutor;
import dev.reversible.core.SagaScope;
import dev.reversible.spring.metadata.ActionSpec;
import dev.reversible.spring.metadata.ReversibleOperationSource;

import org.aopalliance.intercept.MethodInvocation;

/**
 * A {@link dev.reversible.spring.annotation.ReversibleAction} method as a core step. Inside a saga, the
 * call runs through the saga's current scope; outside, it is a one-step saga named after the action, or
 * refused, as {@link OutsideSagaPolicy} says.
 */
final class StepOperation implements Operation {

    private final ActionSpec spec;
    private final ReversibleOperationSource source;
    private final CompositeAction<Object> oneStepSaga;
    private final Supplier<SagaExecutor> executor;
    private final OutsideSagaPolicy outsideSaga;

    StepOperation(ActionSpec spec, ReversibleOperationSource source, Supplier<SagaExecutor> executor, OutsideSagaPolicy outsideSaga) {
        this.spec = spec;
        this.source = source;
        this.executor = executor;
        this.outsideSaga = outsideSaga;
        this.oneStepSaga = Reversible.gen(this::oneStep).named(spec.name());
    }

    ActionSpec spec() {
        return spec;
    }

    /** Looked up only when asked (a journal, a log), never on the call path. */
    String beanName(Object target) {
        return source.beanName(target);
    }

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        SagaThread running = SagaThread.running();
        if (running != null) {
            return runStep(running, invocation, running.scope());
        }
        if (outsideSaga == OutsideSagaPolicy.FAIL) {
            throw new IllegalStateException("@ReversibleAction " + spec.describe() + " was called outside any @ReversibleSaga, "
                    + "and reversible.outside-saga=fail: call it from a @ReversibleSaga method");
        }
        return SagaThread.executeOutermost(executor.get(), oneStepSaga, invocation);
    }

    /** The one-step saga's body: the call itself, as its only step. */
    private Object oneStep(SagaScope scope) throws Exception {
        return SagaThread.runBody(scope, this::runStep);
    }

    private Object runStep(SagaThread thread, MethodInvocation invocation, SagaScope scope) throws Exception {
        return scope.run(new StepAction(this, invocation, thread.nextStepIndex(), scope.saga()));
    }
}
