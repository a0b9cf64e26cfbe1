package dev.reversible.jdbc;

/**
 * How a step's {@code forwards} ended.
 *
 * @param index the step's index
 * @param status {@link StepStatus#COMPLETED} or {@link StepStatus#FAILED}
 * @param result what it returned (written as JSON), null when it failed
 * @param error why it failed, null when it completed
 */
public record StepEnd(int index, StepStatus status, Object result, ErrorText error) {

    /** Checks the status. */
    public StepEnd {
        if (status != StepStatus.COMPLETED && status != StepStatus.FAILED) {
            throw new IllegalArgumentException("A step ends COMPLETED or FAILED, not " + status);
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
     * @return a failed end
     */
    public static StepEnd failed(int index, Throwable failure) {
        return new StepEnd(index, StepStatus.FAILED, null, ErrorText.of(failure));
    }
}
