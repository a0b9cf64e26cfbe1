package dev.reversible.spring.aop;

import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import dev.reversible.core.SagaInfo;
import dev.reversible.core.SagaStep;
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
 * failure, its place in the saga — not an opaque lambda, so that it can be written to a journal and replayed.
 *
 * <p>A step whose work joined a transaction it did not start follows that transaction's fate (see
 * {@link StepTransactions}): when it rolled back, the core skips the compensation and reports the step
 * undone by its transaction; while it is still open, the compensation waits for its commit.
 */
public abstract class StepCall implements SagaStep {

    private static final Log LOG = LogFactory.getLog(StepCall.class);

    private final StepOperation operation;
    private final MethodInvocation invocation;
    private SagaInfo saga;
    private int stepIndex;
    private int parentIndex = -1;
    private StepTransactions.Joined transaction;
    private volatile Object result;
    private volatile Throwable failure;

    StepCall(StepOperation operation, MethodInvocation invocation) {
        this.operation = operation;
        this.invocation = invocation;
    }

    /**
     * Takes the step's place and writes it ahead to the journal, if any: when that write fails, the core
     * does not run the step and the caller gets the exception.
     */
    @Override
    public void started(SagaInfo saga, int index, int parentIndex) {
        this.saga = saga;
        this.stepIndex = index;
        this.parentIndex = parentIndex;
        operation.journal().stepStarted(this, operation.mayJoinTransaction());
    }

    /** Calls the action method itself, once its transaction, if it joins one, is tracked. */
    final Object proceed() throws Throwable {
        if (operation.mayJoinTransaction()) {
            transaction = operation.transactions().join();
        }
        return invocation.proceed();
    }

    final void succeeded(Object value) {
        result = value;
        operation.journal().stepEnded(this, value, null, inOpenJoinedTransaction());
    }

    final void failed(Throwable thrown) {
        failure = thrown;
        operation.journal().stepEnded(this, null, thrown, inOpenJoinedTransaction());
    }

    private boolean inOpenJoinedTransaction() {
        return transaction != null && transaction.open();
    }

    @Override
    public boolean undoneByTransaction() {
        boolean undone = transaction != null && transaction.undone();
        if (undone) {
            operation.journal().undoneByTransaction(this);
        }
        return undone;
    }

    /**
     * Runs the handler once — or, while the transaction the step joined is still open, defers it to that
     * transaction's commit — with no transaction of the saga's or the caller's in effect. The core calls
     * it with the saga suspended: the handler's own calls are sagas of their own.
     * @return what the handler returned ({@code null} when deferred)
     */
    final Object compensate(int attempt) throws Exception {
        if (operation.journal().takenOver(this)) {
            // This instance looked dead (a long pause) and another one claimed the saga: it compensates the saga
            // from the journal, so running the handler here too would undo the step twice.
            LOG.warn("Compensation of step " + name() + " #" + stepIndex + " in " + saga + " not run here: another instance"
                    + " has taken the saga over and compensates it");
            return null;
        }
        if (transaction != null && transaction.open()) {
            // The joined transaction may still commit (the caller's, say): undo then, or never if it rolls back.
            transaction.compensateOnCommit(() -> compensateAfterCommit(attempt));
            return null;
        }
        return operation.transactions().runOutsideTransaction(() -> invokeHandler(attempt));
    }

    private void compensateAfterCommit(int attempt) {
        try {
            operation.transactions().runOutsideTransaction(() -> invokeHandler(attempt));
        } catch (Exception e) {
            LOG.error("Compensation of step " + name() + " #" + stepIndex + " in " + saga + " failed after its transaction committed", e);
        }
    }

    /** One handler attempt, its outcome written to the journal — for a returned stage, when that stage completes. */
    private Object invokeHandler(int attempt) throws Exception {
        Object value = result;
        Object receiver = receiver();
        Context context = new Context(saga.id(), saga.name(), spec().name(), stepIndex, value, failure, attempt);
        Object returned;
        try {
            returned = operation.journal().compensate(this, attempt, receiver,
                    () -> spec().handler().invoke(receiver, invocation.getArguments(), value, context));
        } catch (Exception | Error e) {
            operation.journal().compensationFailed(this, attempt, e);
            throw e;
        }
        if (returned instanceof CompletionStage<?> stage) {
            return stage.whenComplete((ignored, thrown) -> {
                if (thrown == null) {
                    operation.journal().compensated(this, attempt);
                } else {
                    operation.journal().compensationFailed(this, attempt,
                            thrown instanceof CompletionException && thrown.getCause() != null ? thrown.getCause() : thrown);
                }
            });
        }
        operation.journal().compensated(this, attempt);
        return returned;
    }

    private Object receiver() {
        Object proxy = invocation instanceof ProxyMethodInvocation proxied ? proxied.getProxy() : null;
        return spec().handler().receiver(proxy, invocation.getThis());
    }

    /** @return the action's name */
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
    public int parentIndex() {
        return parentIndex;
    }

    /** @return the outermost saga this step ran in */
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
}
