package dev.reversible.spring.aop;

/**
 * Where the aspect's steps are written ahead, so that their compensations survive the JVM — kept behind
 * this interface so the aspect has no JDBC import. {@link #NONE} (no journal) records nothing; the starter
 * installs a database journal when {@code reversible-jdbc} is on the class path.
 *
 * <p>Only {@link #stepStarted} may throw: the step is then not run and the caller gets the exception. The
 * other methods record what already happened; an implementation logs its own failures there, it never
 * changes the outcome of a step or of a compensation.
 *
 * <pre>{@code
 * new ReversibleInterceptor(source, () -> executor, OutsideSagaPolicy.EXECUTE, transactions, () -> journal);
 * }</pre>
 */
public interface StepJournal {

    /** No journal: compensations live in memory only. */
    StepJournal NONE = new StepJournal() {
    };

    /**
     * The step took its place in its saga and its {@code forwards} runs next. Called on the thread that
     * calls the action.
     * @param step the step, with its saga, index, parent, bean, action and arguments
     * @param mayJoinTransaction whether its work would join a transaction already running on this thread
     */
    default void stepStarted(StepCall step, boolean mayJoinTransaction) {
    }

    /**
     * The step's {@code forwards} ended.
     * @param step the step
     * @param result what it returned (an asynchronous step: its future's value), null when it failed
     * @param failure what it threw, or null
     * @param inJoinedTransaction whether it joined a transaction it did not start that is still open on
     *     this thread: its end then belongs in that transaction
     */
    default void stepEnded(StepCall step, Object result, Throwable failure, boolean inJoinedTransaction) {
    }

    /**
     * Calls one attempt of the step's handler; {@link #compensated} or {@link #compensationFailed} follows.
     * The default just calls it. A journal on a database may call it inside a transaction the handler joins
     * and write the step's "compensated" mark in that transaction, so that the handler's work and the mark
     * commit together (exactly once); it then ignores the {@link #compensated} call that follows for the step.
     * Called with no transaction of the saga's or the caller's in effect.
     * @param step the step
     * @param attempt the attempt, from 1
     * @param receiver what the handler is called on: the bean's proxy (its advice applies) or the bean itself
     * @param handler the handler call
     * @return what the handler returned
     * @throws Exception the handler's failure
     */
    default Object compensate(StepCall step, int attempt, Object receiver, StepTransactions.Compensation handler) throws Exception {
        return handler.run();
    }

    /**
     * The step's handler ran without an exception (for a handler returning a stage: that stage completed).
     * @param step the step
     * @param attempt the attempt that succeeded, from 1
     */
    default void compensated(StepCall step, int attempt) {
    }

    /**
     * One attempt of the step's handler failed; a later attempt may still succeed.
     * @param step the step
     * @param attempt the attempt that failed, from 1
     * @param failure why
     */
    default void compensationFailed(StepCall step, int attempt, Throwable failure) {
    }

    /**
     * Asked before the step's handler runs in this instance.
     * @param step the step
     * @return whether another instance has taken the step's saga over (this one looked dead, and a journal
     *     write of the saga found a newer owner): that instance compensates it, so the handler is not run here
     */
    default boolean takenOver(StepCall step) {
        return false;
    }

    /**
     * The step's work was undone by its transaction's rollback: its handler is not called.
     * @param step the step
     */
    default void undoneByTransaction(StepCall step) {
    }
}
