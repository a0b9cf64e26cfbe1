package dev.reversible.jdbc;

/** How one attempt of a step's compensation ended. */
public enum CompensationOutcome {

    /** The handler ran without an exception. */
    COMPENSATED,

    /** The handler threw; a later attempt may still succeed. */
    FAILED
}
