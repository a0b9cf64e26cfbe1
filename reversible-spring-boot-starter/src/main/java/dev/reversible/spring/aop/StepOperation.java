package dev.reversible.spring.aop;

import java.util.function.Supplier;

import dev.reversible.core.SagaExecutor;
import dev.reversible.core.SagaScope;
import dev.reversible.spring.metadata.ActionSpec;
import dev.reversible.spring.metadata.ReversibleOperationSource;

import org.aopalliance.intercept.MethodInvocation;

/**
 * A {@link dev.reversible.spring.annotation.ReversibleAction} method as a core step. Called while a saga of
 * the executor runs on the thread, the call is a step of it — a child of the step whose {@code forwards}
 * is running, if any (core rule 14); otherwise it is a one-step saga named after the action, or refused,
 * as {@link OutsideSagaPolicy} says.
 */
final class StepOperation implements Operation {

    private final ActionSpec spec;
    private final ReversibleOperationSource source;
    private final Supplier<SagaExecutor> executor;
    private final OutsideSagaPolicy outsideSaga;
    private final StepTransactions transactions;
    private final boolean mayJoinTransaction;

    StepOperation(ActionSpec spec, ReversibleOperationSource source, Supplier<SagaExecutor> executor, OutsideSagaPolicy outsideSaga,
            StepTransactions transactions, boolean mayJoinTransaction) {
        this.spec = spec;
        this.source = source;
        this.executor = executor;
        this.outsideSaga = outsideSaga;
        this.transactions = transactions;
        this.mayJoinTransaction = mayJoinTransaction;
    }

    /** @return whether the action's own transaction attribute makes it join a transaction running when it is called */
    boolean mayJoinTransaction() {
        return mayJoinTransaction;
    }

    ActionSpec spec() {
        return spec;
    }

    StepTransactions transactions() {
        return transactions;
    }

    /** Looked up only when asked (a journal, a log), never on the call path. */
    String beanName(Object target) {
        return source.beanName(target);
    }

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        SagaExecutor sagas = executor.get();
        SagaScope running = sagas.currentScope();
        if (running != null) {
            return running.run(new StepAction(this, invocation));
        }
        if (outsideSaga == OutsideSagaPolicy.FAIL) {
            throw new IllegalStateException("@ReversibleAction " + spec.describe() + " was called outside any @ReversibleSaga, "
                    + "and reversible.outside-saga=fail: call it from a @ReversibleSaga method");
        }
        return sagas.execute(new StepAction(this, invocation));
    }
}
