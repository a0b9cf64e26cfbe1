package dev.reversible.core;

import java.time.Duration;

/**
 * The failure of an asynchronous step whose future did not complete within its timeout
 * ({@link AsyncAction#timeout()}) or before its saga's deadline. Its outcome is unknown — its work may still be
 * running, or have been done — so it is compensated as a step that failed after starting (rule 6): a
 * {@link SagaStep} hears {@link SagaStep#timedOut(StepTimeoutException)} first, and its compensation must undo by state, with no
 * result. Should the step's future complete later, its value is logged and dropped, never delivered.
 *
 * <pre>{@code
 * AsyncAction<String> booking = Reversible.withTimeout(bookFlight, Duration.ofSeconds(2));
 * }</pre>
 */
public class StepTimeoutException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String stepName;
    private final transient Duration timeout;

    /**
     * @param stepName the name of the step that timed out
     * @param timeout how long it was given, or {@code null} when not known (a step recovered from a journal)
     */
    public StepTimeoutException(String stepName, Duration timeout) {
        super("Step '" + stepName + "' did not complete " + (timeout == null ? "in time" : "within " + timeout)
                + "; its outcome is unknown, so it is compensated");
        this.stepName = stepName;
        this.timeout = timeout;
    }

    /** @return the name of the step that timed out */
    public String stepName() {
        return stepName;
    }

    /** @return how long the step was given, or {@code null} when not known */
    public Duration timeout() {
        return timeout;
    }
}
