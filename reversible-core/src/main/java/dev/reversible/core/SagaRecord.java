package dev.reversible.core;

import java.util.concurrent.Callable;

/**
 * One saga's record in a {@link SagaJournal}. The engine calls it on the thread where each event happens (for
 * an asynchronous saga, possibly several threads, one event at a time per step).
 *
 * <p>Only {@link #stepStarted} may refuse: when it throws, the step's {@code forwards} is not run and the
 * step fails with that exception (rules 2 and 6 then apply; there is nothing of it to undo). Every other
 * method records what already happened: an exception it throws is ignored (rule 11) and never changes the
 * outcome of a step, a compensation or the saga — an implementation logs its own failures.
 *
 * <pre>{@code
 * final class DatabaseRecord implements SagaRecord {
 *     public void stepStarted(StepInfo step) { insertAndCommit(step); }              // written ahead
 *     public void stepEnded(StepInfo step, Object result, Throwable failure) { buffer(step, result, failure); }
 *     public void sagaCompleted() { deleteRows(); }
 * }
 * }</pre>
 */
public interface SagaRecord {

    /**
     * A step took its place (rule 14) and its {@code forwards} runs next, on this thread.
     * @param step the step
     * @throws RuntimeException when the step must not run (its record could not be written)
     */
    void stepStarted(StepInfo step);

    /**
     * The step's {@code forwards} ended — for an asynchronous step, its future completed. Called on the thread
     * that ran it (for a synchronous step, still inside any transaction it ran in).
     * @param step the step
     * @param result what it returned (an asynchronous step: its future's value), {@code null} when it failed
     * @param failure what it threw, or {@code null}
     */
    default void stepEnded(StepInfo step, Object result, Throwable failure) {
    }

    /**
     * Runs one attempt of the step's compensation. By default it just calls it; a record may run it inside a
     * transaction that also marks the step compensated (exactly once), or not at all when another owner has
     * taken the saga over (it then returns {@code null}). Its outcome follows:
     * {@link #compensationSucceeded} or {@link #compensationFailed}.
     * @param step the step
     * @param attempt the attempt, from 1
     * @param compensation the attempt itself; for an asynchronous step it returns the compensation's stage
     * @param <T> what the attempt returns
     * @return what the attempt returned
     * @throws Exception the attempt's failure
     */
    default <T> T compensate(StepInfo step, int attempt, Callable<T> compensation) throws Exception {
        return compensation.call();
    }

    /**
     * One attempt of the step's compensation succeeded (for an asynchronous step: its stage completed).
     * @param step the step
     * @param attempt the attempt, from 1
     */
    default void compensationSucceeded(StepInfo step, int attempt) {
    }

    /**
     * One attempt of the step's compensation failed; a later attempt may still succeed.
     * @param step the step
     * @param attempt the attempt, from 1
     * @param failure why
     */
    default void compensationFailed(StepInfo step, int attempt, Throwable failure) {
    }

    /**
     * The step's work was undone by its transaction's rollback ({@link SagaStep#undoneByTransaction()}): its
     * compensation does not run.
     * @param step the step
     */
    default void stepUndoneByTransaction(StepInfo step) {
    }

    /** The saga returned normally. */
    default void sagaCompleted() {
    }

    /**
     * The saga failed with an exception its rollback rule keeps: its completed steps stand.
     * @param failure what it threw
     */
    default void sagaFailed(Throwable failure) {
    }

    /**
     * The saga rolled back; called before its caller gets the exception.
     * @param report what was compensated, what failed and what is left
     */
    default void sagaRolledBack(RollbackReport report) {
    }
}
