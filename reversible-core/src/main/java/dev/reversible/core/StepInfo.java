package dev.reversible.core;

/**
 * A step as a {@link SagaRecord} sees it: the same object from the step's start to its last compensation
 * attempt, so that a journal needs no lookup to pair a step's events.
 *
 * <pre>{@code
 * public void stepStarted(StepInfo step) {
 *     rows.insert(step.saga().id(), step.index(), step.parentIndex(), step.name());
 * }
 * }</pre>
 */
public interface StepInfo {

    /** @return the outermost saga the step runs in */
    SagaInfo saga();

    /** @return the step's name (its action's {@code name()}) */
    String name();

    /** @return the step's index: from 0, in the order the steps of the outermost saga started (rule 14) */
    int index();

    /** @return the index of the step whose {@code forwards} started this one, or -1 */
    int parentIndex();

    /**
     * @return the step's action as the saga ran it — an {@link Action} or an {@link AsyncAction} — so that an
     *     integration may recognise its own step objects (an annotated method call) and describe them
     */
    Object action();
}
