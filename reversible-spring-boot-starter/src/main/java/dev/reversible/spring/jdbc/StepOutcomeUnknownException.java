package dev.reversible.spring.jdbc;

/**
 * What {@link dev.reversible.spring.CompensationContext#failure()} holds when recovery compensates a step
 * whose outcome is unknown: it started, and its instance stopped before recording how it ended. Its work
 * may or may not have happened; the handler should undo what the system shows really happened.
 */
public class StepOutcomeUnknownException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message which step, of which saga */
    public StepOutcomeUnknownException(String message) {
        super(message, null, false, false);
    }
}
