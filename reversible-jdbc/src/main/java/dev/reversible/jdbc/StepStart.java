package dev.reversible.jdbc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * What the journal records before a step's {@code forwards} runs.
 *
 * <pre>{@code
 * saga.stepStarted(StepStart.of(index, parentIndex, "paymentService", "charge", orderId, amount));
 * }</pre>
 *
 * @param index the step's index in the outermost saga (rule 14), from 0
 * @param parentIndex the index of the step whose {@code forwards} started this one, or -1
 * @param beanName the bean holding the action, to find its handler after a restart
 * @param actionName the action's name, to find its handler after a restart
 * @param arguments the action's arguments, written as JSON (nulls allowed)
 * @param joinedTransaction whether the step's work joined a transaction on the journal's database that it
 *     did not start: its end is then written in that transaction
 *     ({@link JournaledSaga#stepEndedInCurrentTransaction}), and a step still {@code RUNNING} when its owner
 *     died was undone by that transaction's rollback
 */
public record StepStart(int index, int parentIndex, String beanName, String actionName, List<Object> arguments,
        boolean joinedTransaction) {

    /** Checks the names and copies the arguments (nulls kept). */
    public StepStart {
        if (index < 0 || parentIndex < -1 || parentIndex >= index) {
            throw new IllegalArgumentException("Bad step index " + index + " (parent " + parentIndex + ")");
        }
        Objects.requireNonNull(beanName, "beanName");
        Objects.requireNonNull(actionName, "actionName");
        arguments = Collections.unmodifiableList(new ArrayList<>(arguments));
    }

    /**
     * A step that did not join a transaction.
     * @param index the step's index
     * @param parentIndex its parent's index, or -1
     * @param beanName the bean holding the action
     * @param actionName the action's name
     * @param arguments the action's arguments
     * @return the start record
     */
    public static StepStart of(int index, int parentIndex, String beanName, String actionName, Object... arguments) {
        return new StepStart(index, parentIndex, beanName, actionName, Arrays.asList(arguments), false);
    }

    /** @return the same start, marked as having joined a transaction it did not start */
    public StepStart inCallerTransaction() {
        return new StepStart(index, parentIndex, beanName, actionName, arguments, true);
    }
}
