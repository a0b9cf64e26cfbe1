package dev.reversible.spring.aop;

import java.util.concurrent.ThreadLocalRandom;

import dev.reversible.core.SagaInfo;
import dev.reversible.core.SagaStep;
import dev.reversible.core.StepInfo;
import dev.reversible.core.StepTimeoutException;
import dev.reversible.spring.CompensationContext;
import dev.reversible.spring.metadata.ActionSpec;

import org.aopalliance.intercept.MethodInvocation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.aop.ProxyMethodInvocation;

/**
 * One call of a {@link dev.reversible.spring.annotation.ReversibleAction} method as a core step, whether
 * synchronous ({@link StepAction}) or asynchronous ({@link AsyncStepAction}). Its compensation is data —
 * the action spec (which resolves the handler), the bean's name, the call's arguments, its result or
 * failure, its place in the saga — not an opaque lambda, so that a journal (a core
 * {@link dev.reversible.core.SagaRecord}, which sees this object as {@link dev.reversible.core.StepInfo#action()})
 * can describe it and recovery can find it again.
 *
 * <p>A step whose work joined a transaction it did not start follows that transaction's fate (see
 * {@link StepTransactions}): when it rolled back, the core skips the compensation and reports the step
 * undone by its transaction; while it is still open, the compensation waits for its commit.
 */
public abstract class StepCall implements SagaStep, StepInfo {

    private static final Log LOG = LogFactory.getLog(StepCall.class);

    private final StepOperation operation;
    private final MethodInvocation invocation;
    /** Called by the advice placed inside the action's own transaction advice (for {@code StepRecord.IN_TRANSACTION}). */
    private final boolean insideTransactionAdvice;
    private SagaInfo saga;
    private int stepIndex;
    private int parentIndex = -1;
    private StepTransactions.Joined transaction;
    private volatile Object result;
    private volatile Throwable failure;
    /**
     * Listeners keep what they started for a step in maps keyed by the step object itself: an identity hash
     * code, made by the JVM on first use, was a visible part of a step's cost. Equality stays identity
     * ({@code Object.equals}), with which a hash fixed at construction agrees.
     */
    private final int hash = ThreadLocalRandom.current().nextInt();

    StepCall(StepOperation operation, MethodInvocation invocation, boolean insideTransactionAdvice) {
        this.operation = operation;
        this.invocation = invocation;
        this.insideTransactionAdvice = insideTransactionAdvice;
    }

    /** Takes the step's place: the saga's record, if any, hears of it from the core right after. */
    @Override
    public void started(SagaInfo saga, int index, int parentIndex) {
        this.saga = saga;
        this.stepIndex = index;
        this.parentIndex = parentIndex;
    }

    /** @return whether the action's own transaction attribute makes it join a transaction running when it is called */
    public boolean mayJoinTransaction() {
        return operation.mayJoinTransaction();
    }

    /**
     * @return whether the action's own transaction attribute suspends a transaction running when it is called
     *     ({@code REQUIRES_NEW}, {@code NOT_SUPPORTED}) — its work then is no part of a caller's transaction
     */
    public boolean suspendsTransaction() {
        return operation.suspendsTransaction();
    }

    /**
     * @return whether this call runs inside the action's own transaction advice — its {@code @Transactional}
     *     transaction, if it has one, is already active — so that a journal may write the step's record in it
     *     ({@code StepRecord.IN_TRANSACTION})
     */
    public boolean insideTransactionAdvice() {
        return insideTransactionAdvice;
    }

    /**
     * Calls the action method itself, once its transaction, if it joins one, is tracked — inside its own
     * transaction advice, the transaction that is active is the step's own or one it joined: either way the
     * step shares its fate.
     */
    final Object proceed() throws Throwable {
        if (operation.mayJoinTransaction() || insideTransactionAdvice) {
            transaction = operation.transactions().join();
        }
        return invocation.proceed();
    }

    final void succeeded(Object value) {
        if (!(failure instanceof StepTimeoutException)) {
            result = value;   // a value arriving after the step timed out is never the compensation's
        }
    }

    final void failed(Throwable thrown) {
        if (!(failure instanceof StepTimeoutException)) {
            failure = thrown;
        }
    }

    /** The step timed out: its compensation sees the timeout as its failure, and no result, whatever arrives later. */
    @Override
    public void timedOut(StepTimeoutException timeout) {
        failure = timeout;
        result = null;
    }

    /**
     * @return whether the step joined a transaction it did not start that is still open on this thread: its
     *     end, recorded now, belongs in that transaction (a rollback erases it with the step's work)
     */
    public boolean inOpenJoinedTransaction() {
        return transaction != null && transaction.open();
    }

    /**
     * Whether the transaction the step's work ran in rolled back, or will: a step that failed inside its own
     * transaction advice is asked before that advice decides, so its transaction attribute's rule answers.
     */
    @Override
    public boolean undoneByTransaction() {
        if (transaction == null) {
            return false;
        }
        if (transaction.undone()) {
            return true;
        }
        Throwable thrown = failure;
        return insideTransactionAdvice && thrown != null && transaction.open()
                && operation.transactions().rollsBackOn(spec().method(), spec().beanClass(), thrown);
    }

    /** Runs the handler once, directly: see {@link #compensate(int, StepCompensation)}. */
    final Object compensate(int attempt) throws Exception {
        return compensate(attempt, StepCompensation.DIRECT);
    }

    /**
     * Runs the handler once — or, while the transaction the step joined is still open, defers it to that
     * transaction's commit — with no transaction of the saga's or the caller's in effect. The core calls
     * it with the saga suspended: the handler's own calls are sagas of their own.
     * @param attempt the attempt, from 1
     * @param around what calls the handler: {@link StepCompensation#DIRECT}, or a journal's wrapper that runs it
     *     in the transaction marking it done and records its outcome
     * @return what the handler returned ({@code null} when deferred)
     * @throws Exception the handler's failure
     */
    public final Object compensate(int attempt, StepCompensation around) throws Exception {
        if (transaction != null && transaction.open()) {
            // The joined transaction may still commit (the caller's, say): undo then, or never if it rolls back.
            transaction.compensateOnCommit(() -> compensateAfterCommit(attempt, around));
            return null;
        }
        return operation.transactions().runOutsideTransaction(() -> invokeHandler(attempt, around));
    }

    private void compensateAfterCommit(int attempt, StepCompensation around) {
        try {
            operation.transactions().runOutsideTransaction(() -> invokeHandler(attempt, around));
        } catch (Exception e) {
            LOG.error("Compensation of step " + name() + " #" + stepIndex + " in " + saga + " failed after its transaction committed", e);
        }
    }

    private Object invokeHandler(int attempt, StepCompensation around) throws Exception {
        Object value = result;
        Object receiver = receiver();
        Context context = new Context(saga.id(), saga.name(), spec().name(), stepIndex, value, failure, attempt);
        return around.compensate(receiver, () -> spec().handler().invoke(receiver, invocation.getArguments(), value, context));
    }

    /** @return what the handler is called on: the bean's proxy (its advice applies) or the bean itself */
    public Object receiver() {
        Object proxy = invocation instanceof ProxyMethodInvocation proxied ? proxied.getProxy() : null;
        return spec().handler().receiver(proxy, invocation.getThis());
    }

    /** @return the action's name */
    @Override
    public String name() {
        return spec().name();
    }

    /** @return the action's spec */
    public ActionSpec spec() {
        return operation.spec();
    }

    /** @return the result its {@code forwards} returned (an asynchronous step: its future's value), or null */
    public Object result() {
        return result;
    }

    /** @return what its {@code forwards} threw, or null */
    public Throwable failure() {
        return failure;
    }

    /** @return the name of the bean the action ran on, or {@code null} when it is not a singleton bean */
    public String beanName() {
        return operation.beanName(invocation.getThis());
    }

    /** @return the call's arguments, as the handler will receive them */
    public Object[] arguments() {
        return invocation.getArguments();
    }

    /** @return the position of this step, from 0, in the order the steps of the outermost saga started */
    public int stepIndex() {
        return stepIndex;
    }

    /** @return the index of the step whose {@code forwards} started this one, or -1 */
    @Override
    public int parentIndex() {
        return parentIndex;
    }

    /** @return the position of this step (rule 14); the same as {@link #stepIndex()} */
    @Override
    public int index() {
        return stepIndex;
    }

    /** @return this call: an annotated step is its own action, so listeners and records see it without a wrapper */
    @Override
    public Object action() {
        return this;
    }

    /** @return the outermost saga this step ran in */
    @Override
    public SagaInfo saga() {
        return saga;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + spec().name() + " #" + stepIndex + " in " + (saga == null ? "no saga yet" : saga.name()) + "]";
    }

    private record Context(String sagaId, String sagaName, String stepName, int stepIndex, Object result, Throwable failure,
            int attempt) implements CompensationContext {
    }

    @Override
    public final int hashCode() {
        return hash;
    }
}
