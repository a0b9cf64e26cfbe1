package dev.reversible.spring.jdbc;

import dev.reversible.jdbc.ErrorText;

/**
 * A step's failure as the journal kept it — text only, never a deserialized {@code Throwable} — handed to
 * a handler run by recovery as {@link dev.reversible.spring.CompensationContext#failure()}.
 */
public class JournaledStepFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String failureClassName;

    /** @param error the failure's text */
    public JournaledStepFailure(ErrorText error) {
        super(error.className() + (error.message() == null ? "" : ": " + error.message()), null, false, false);
        this.failureClassName = error.className();
    }

    /** @return the class name of the original failure */
    public String failureClassName() {
        return failureClassName;
    }
}
