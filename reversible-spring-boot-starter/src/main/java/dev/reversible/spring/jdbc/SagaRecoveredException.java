package dev.reversible.spring.jdbc;

/**
 * Why a recovered saga rolled back, as listeners see it ({@code RollbackReport.failure()}): the instance that
 * ran it stopped before it ended, and another instance (or this application's next life) compensated it from
 * the journal.
 */
public class SagaRecoveredException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message which saga */
    public SagaRecoveredException(String message) {
        super(message, null, false, false);
    }
}
