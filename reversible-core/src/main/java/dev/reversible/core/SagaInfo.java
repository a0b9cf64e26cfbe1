package dev.reversible.core;

/**
 * Identifies one execution of a saga, in events and in a scope.
 *
 * <pre>{@code
 * String key = saga.saga().id() + ":" + "refund";   // an idempotency key for a compensation
 * }</pre>
 */
public interface SagaInfo {

    /** @return the name of the executed action (the outermost one) */
    String name();

    /** @return an id unique to this execution, within and across JVMs */
    String id();
}
