package dev.reversible.spring.aop;

/**
 * How one attempt of an annotated step's {@code @Compensate} handler is called. {@link #DIRECT} just calls it;
 * a journal passes its own, which runs a handler that is transactional on the journal's database inside the
 * transaction that also marks the step compensated (exactly once), and records the attempt's outcome when the
 * handler really runs — which, for a step whose joined transaction is still open, is after that transaction
 * commits.
 *
 * <pre>{@code
 * Object returned = stepCall.compensate(attempt, (receiver, handler) -> inTransactionWithMark(receiver, handler));
 * }</pre>
 */
@FunctionalInterface
public interface StepCompensation {

    /** Calls the handler, nothing more. */
    StepCompensation DIRECT = (receiver, handler) -> handler.run();

    /**
     * @param receiver what the handler is called on (the bean's proxy, or the bean)
     * @param handler the handler call itself
     * @return what the handler returned (for a handler returning a {@code CompletionStage}: that stage)
     * @throws Exception the handler's failure
     */
    Object compensate(Object receiver, StepTransactions.Compensation handler) throws Exception;
}
