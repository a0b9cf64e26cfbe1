package dev.reversible.jdbc;

/** A failure of the journal itself (as opposed to the database driver's {@code DataAccessException}s, which pass through). */
public class JournalException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message what went wrong */
    public JournalException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong
     * @param cause why
     */
    public JournalException(String message, Throwable cause) {
        super(message, cause);
    }
}
