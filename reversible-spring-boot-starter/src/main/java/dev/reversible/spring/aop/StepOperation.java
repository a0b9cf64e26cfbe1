package dev.reversible.spring.aop;

import java.util.function.Supplier;

import dev.reversible.core.SagaExecutor;
import dev.reversible.core.SagaScope;
import dev.reversible.spring.metadata.ActionSpec;
import dev.reversible.spring.metadata.ReversibleOperationSource;

import org.aopalliance.intercept.MethodInvocation;

/**
 * A {@link dev.reversible.spring.annotation.ReversibleAction} method as a core step — an asynchronous one
 * when the method returns a {@code CompletionStage}. Called while a saga of the executor runs on the
 * thread (or in a context propagated to it), the call is a step of it — a child of the step whose
 * {@code forwards} is running, if any (core rule 14); otherwise it is a one-step saga named after the
 * action, or refused, as {@link OutsideSagaPolicy} says.
 */
final class StepOperation implements Operation {

    private final ActionSpec spec;
    private final ReversibleOperationSource source;
    private final Supplier<SagaExecutor> executor;
    private final OutsideSagaPolicy outsideSaga;
    private final StepTransactions transactions;
    private final boolean mayJoinTransaction;
    private final boolean suspendsTransaction;
    private final boolean asynchronous;

    StepOperation(ActionSpec spec, ReversibleOperationSource source, Supplier<SagaExecutor> executor, OutsideSagaPolicy outsideSaga,
            StepTransactions transactions, boolean mayJoinTransaction, boolean suspendsTransaction, boolean asynchronous) {
        this.asynchronous = asynchronous;
        this.spec = spec;
        this.source = source;
        this.executor = executor;
        this.outsideSaga = outsideSaga;
        this.transactions = transactions;
        this.mayJoinTransaction = mayJoinTransaction;
        this.suspendsTransaction = suspendsTransaction;
    }

    /** @return whether the action's own transaction attribute suspends a transaction running when it is called */
    boolean suspendsTransaction() {
        return suspendsTransaction;
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
        return invoke(invocation, false);
    }

    /**
     * @param invocation the call
     * @param insideTransactionAdvice whether the call comes through the advice placed inside the action's own
     *     transaction advice ({@code StepRecord.IN_TRANSACTION})
     * @return what the step returned
     * @throws Throwable what it threw
     */
    Object invoke(MethodInvocation invocation, boolean insideTransactionAdvice) throws Throwable {
        SagaExecutor sagas = executor.get();
        SagaScope running = sagas.currentScope();
        if (running == null && outsideSaga == OutsideSagaPolicy.FAIL) {
            throw new IllegalStateException("@ReversibleAction " + spec.describe() + " was called outside any @ReversibleSaga, "
                    + "and reversible.outside-saga=fail: call it from a @ReversibleSaga method");
        }
        if (asynchronous) {
            // The core's futures are CompletableFutures: they fit a method declared to return either type.
            AsyncStepAction step = new AsyncStepAction(this, invocation);
            return running != null ? running.runAsync(step) : sagas.executeAsync(step);
        }
        StepAction step = new StepAction(this, invocation, insideTransactionAdvice);
        return running != null ? running.run(step) : sagas.execute(step);
    }
}
