package dev.reversible.test;

/**
 * A step of a recorded saga, as the executor reported it.
 *
 * <pre>{@code
 * RecordedStep charge = recorder.lastSaga().steps().get(1);   // chargeAccount, COMPLETED
 * recorder.lastSaga().parentOf(charge);                       // Optional[the step whose forwards called it], or empty
 * }</pre>
 *
 * @param name the step's name (an annotated action's name)
 * @param index the step's index, from 0, in the order the steps of the saga started (core rule 14)
 * @param parentIndex the index of the step whose {@code forwards} started this one (its parent), or -1
 * @param outcome how its {@code forwards} ended, as far as it has
 * @param failure what its {@code forwards} threw, or {@code null}
 * @param undoneByTransaction whether its work was undone by the rollback of a transaction it joined, so
 *     that its compensation did not run
 */
public record RecordedStep(String name, int index, int parentIndex, Outcome outcome, Throwable failure, boolean undoneByTransaction) {

    /** How a step's {@code forwards} ended. */
    public enum Outcome {
        /** Its {@code forwards} has not returned yet. */
        RUNNING,
        /** Its {@code forwards} returned. */
        COMPLETED,
        /** Its {@code forwards} threw. */
        FAILED
    }

    /** @return whether no other step started it: the saga's body (or a nested saga's) did */
    public boolean isTopLevel() {
        return parentIndex < 0;
    }

    /** @return a short description, for failure messages: {@code 'charge' (step 2, child of step 1)} */
    public String describe() {
        return "'" + name + "' (step " + index + (isTopLevel() ? ", top-level)" : ", child of step " + parentIndex + ")");
    }
}
