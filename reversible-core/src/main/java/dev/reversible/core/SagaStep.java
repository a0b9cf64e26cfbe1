package dev.reversible.core;

/**
 * What a step may learn from the engine beyond {@link Action}: its place in the saga when it starts
 * (rule 14), and whether something else — a database transaction — has already undone its work, so
 * that its compensation must not run. A framework implements it on its step objects; plain actions
 * never need it.
 *
 * <pre>{@code
 * final class JournaledStep implements AttemptAwareAction<Object>, SagaStep {
 *     public void started(SagaInfo saga, int index, int parentIndex) { journal.recordStart(saga.id(), index, parentIndex); }
 *     ...
 * }
 * }</pre>
 */
public interface SagaStep {

    /**
     * Called once, when the step takes its place, before its {@code forwards} runs.
     * @param saga the outermost saga
     * @param index the step's index: from 0, in the order the steps of the outermost saga started
     * @param parentIndex the index of the step whose {@code forwards} started this one, or -1
     */
    void started(SagaInfo saga, int index, int parentIndex);

    /**
     * Asked when the step is about to be compensated.
     * @return whether its work was undone by its transaction's rollback: its compensation is then skipped
     *     and reported as {@link SagaListener#stepUndoneByTransaction}
     */
    default boolean undoneByTransaction() {
        return false;
    }

    /**
     * Called once when the step's asynchronous {@code forwards} did not complete within its timeout (or before its
     * saga's deadline), before its compensation runs: its outcome is unknown, and a value its future completes
     * with later must not reach its compensation. Called on one of the engine's threads.
     * @param timeout the step's failure, as its compensation will see it
     */
    default void timedOut(StepTimeoutException timeout) {
    }
}
