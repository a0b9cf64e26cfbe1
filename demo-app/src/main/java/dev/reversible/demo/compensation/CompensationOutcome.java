package dev.reversible.demo.compensation;

/** What one compensation handler found to do. */
public enum CompensationOutcome {

    /** The step had completed; its effect was reversed. */
    UNDONE,

    /** The step itself failed without changing anything (a refused conditional update), so there was nothing to reverse. */
    STEP_FAILED
}
