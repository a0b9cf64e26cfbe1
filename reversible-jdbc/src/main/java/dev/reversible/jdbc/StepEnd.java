package dev.reversible.jdbc;

import dev.reversible.core.StepTimeoutException;

/**
 * How a step's {@code forwards} ended.
 *
 * @param index the step's index
 * @param status {@link StepStatus#COMPLETED}, {@link StepStatus#FAILED}, or {@link StepStatus#UNKNOWN} for a step that
 *     timed out (its work may have been done)
 * @param result what it returned (written as JSON), null when it failed
 * @param error why it failed, null when it completed
 */
public record StepEnd(int index, StepStatus status, Object result, ErrorText error) {

    /** Checks the status. */
    public StepEnd {
        if (status != StepStatus.COMPLETED && status != StepStatus.FAILED && status != StepStatus.UNKNOWN) {
            throw new IllegalArgumentException("A step ends COMPLETED, FAILED or UNKNOWN (timed out), not " + status);
        }
    }

    /**
     * @param index the step's index
     * @param result what its {@code forwards} returned
     * @return a completed end
     */
    public static StepEnd completed(int index, Object result) {
        return new StepEnd(index, StepStatus.COMPLETED, result, null);
    }

    /**
     * @param index the step's index
     * @param failure what its {@code forwards} threw
     * @return a failed end — {@link StepStatus#UNKNOWN} when it timed out: its outcome is in doubt
     */
    public static StepEnd failed(int index, Throwable failure) {
        StepStatus status = failure instanceof StepTimeoutException ? StepStatus.UNKNOWN : StepStatus.FAILED;
        return new StepEnd(index, status, null, ErrorText.of(failure));
    }
}
