package dev.reversible.demo.compensation;

/** What one compensation handler found to do. */
public enum CompensationOutcome {

    /** The step had completed; its effect was reversed. */
    UNDONE,

    /**
     * The database shows no effect of the step for this order: the step failed without changing anything (a
     * refused conditional update), or its instance stopped before it committed, so there was nothing to reverse.
     */
    STEP_FAILED
}
