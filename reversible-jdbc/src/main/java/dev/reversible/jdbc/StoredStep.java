package dev.reversible.jdbc;

import java.lang.reflect.Type;

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
 */
public record StoredStep(int index, Integer parentIndex, String beanName, String actionName, String argumentsJson,
        String resultJson, StepStatus status, boolean joinedTransaction, int attempts, ErrorText lastError) {

    /**
     * @param json the journal's JSON codec
     * @param parameterTypes the handler's declared parameter types for the action's arguments
     * @return the arguments, read into those types
     */
    public Object[] arguments(JournalJson json, Type... parameterTypes) {
        return json.readArguments(argumentsJson, parameterTypes);
    }
}
