package dev.reversible.jdbc;

/** Where a step is, as stored in the journal. */
public enum StepStatus {
    /** Recorded before its {@code forwards} ran; not known to have ended. */
    RUNNING,
    /** Its {@code forwards} returned; the result is stored. */
    COMPLETED,
    /** Its {@code forwards} threw; the error is stored. Still compensated (rule 6). */
    FAILED,
    /**
     * In doubt: it was running when its owner died. Compensated as a failed step, its handler sees no
     * result. Set when the saga is claimed.
     */
    UNKNOWN,
    /** Its compensation succeeded. */
    COMPENSATED,
    /** Its compensation failed (attempts and error stored); retried persistently, then the saga is stuck. */
    COMPENSATION_FAILED,
    /** It joined a transaction that rolled back: the database already undid it, its handler is not called. */
    UNDONE_BY_TRANSACTION;

    /** @return whether the step still needs its compensation to run when its saga is undone */
    public boolean needsCompensation() {
        return this == RUNNING || this == COMPLETED || this == FAILED || this == UNKNOWN || this == COMPENSATION_FAILED;
    }
}
