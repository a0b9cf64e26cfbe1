package dev.reversible.jdbc;

import java.lang.reflect.Type;
import java.time.Instant;
import java.util.List;

/**
 * A step as read from the journal. Arguments and result stay JSON until the handler's declared types are
 * known: read them with {@link JournalJson#readArguments} and {@link JournalJson#readResult}.
 *
 * @param index its index in the saga (rule 14)
 * @param parentIndex its parent's index, or null
 * @param beanName the bean holding the action
 * @param actionName the action's name
 * @param argumentsJson the arguments, a JSON array
 * @param resultJson the result as JSON, or null (not ended, failed, or returned null)
 * @param status where it is
 * @param joinedTransaction whether it joined a transaction it did not start
 * @param attempts compensation attempts so far, in memory and persistent
 * @param lastError the last failure of the step or of its compensation, or null
 * @param startedAt when its start was recorded (the application's clock), or null (written by schema version 1)
 * @param endedAt when its end was recorded, or null (still running, in doubt, or undone with its transaction)
 * @param compensations its compensation's attempts, in order
 */
public record StoredStep(int index, Integer parentIndex, String beanName, String actionName, String argumentsJson,
        String resultJson, StepStatus status, boolean joinedTransaction, int attempts, ErrorText lastError,
        Instant startedAt, Instant endedAt, List<StoredCompensation> compensations) {

    /** Copies the attempts. */
    public StoredStep {
        compensations = compensations == null ? List.of() : List.copyOf(compensations);
    }

    /**
     * A step without times or attempts, as schema version 1 stored it.
     * @param index its index in the saga (rule 14)
     * @param parentIndex its parent's index, or null
     * @param beanName the bean holding the action
     * @param actionName the action's name
     * @param argumentsJson the arguments, a JSON array
     * @param resultJson the result as JSON, or null
     * @param status where it is
     * @param joinedTransaction whether it joined a transaction it did not start
     * @param attempts compensation attempts so far
     * @param lastError the last failure of the step or of its compensation, or null
     */
    public StoredStep(int index, Integer parentIndex, String beanName, String actionName, String argumentsJson,
            String resultJson, StepStatus status, boolean joinedTransaction, int attempts, ErrorText lastError) {
        this(index, parentIndex, beanName, actionName, argumentsJson, resultJson, status, joinedTransaction, attempts, lastError,
                null, null, List.of());
    }

    /** @return the same step with these compensation attempts */
    StoredStep withCompensations(List<StoredCompensation> attempts) {
        return new StoredStep(index, parentIndex, beanName, actionName, argumentsJson, resultJson, status, joinedTransaction,
                this.attempts, lastError, startedAt, endedAt, attempts);
    }

    /**
     * @param json the journal's JSON codec
     * @param parameterTypes the handler's declared parameter types for the action's arguments
     * @return the arguments, read into those types
     */
    public Object[] arguments(JournalJson json, Type... parameterTypes) {
        return json.readArguments(argumentsJson, parameterTypes);
    }
}
