package dev.reversible.test;

/**
 * How a recorded saga ended, as far as it has.
 *
 * <pre>{@code
 * assertThat(recorder.lastSaga().outcome()).isEqualTo(SagaOutcome.COMPENSATED);
 * }</pre>
 */
public enum SagaOutcome {

    /** Started, not ended yet. */
    RUNNING,

    /** Returned normally; its steps stand. */
    COMPLETED,

    /** Failed and rolled back completely. */
    COMPENSATED,

    /** Failed, and at least one compensation failed or never ran. */
    COMPENSATION_FAILED,

    /** Failed with an exception its rollback rule excludes: its completed steps stand. */
    FAILED
}
