package dev.reversible.jdbc;

/** What the journal does with a saga that ended without compensation ({@code reversible.jdbc.completed}). */
public enum CompletedSagas {
    /** Delete its rows in the commit that ends it: the journal only holds sagas that may need undoing. */
    DELETE,
    /** Keep it as {@link SagaStatus#COMPLETED} or {@link SagaStatus#FAILED} until the retention purges it. */
    KEEP
}
