package dev.reversible.jdbc;

/**
 * Arguments or a result that cannot be written as JSON, or no longer read into the declared types.
 * On the write path the step is not run; on recovery the saga should be marked {@link SagaStatus#STUCK}
 * with this message as the reason.
 */
public class JournalPayloadException extends JournalException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what could not be written or read
     * @param cause Jackson's error
     */
    public JournalPayloadException(String message, Throwable cause) {
        super(message, cause);
    }
}
