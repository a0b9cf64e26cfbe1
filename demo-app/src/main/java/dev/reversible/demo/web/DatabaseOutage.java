package dev.reversible.demo.web;

import dev.reversible.jdbc.JournalException;
import dev.reversible.jdbc.JournalPayloadException;

import org.springframework.dao.DataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Tells a failure that means "the database cannot be used right now" — the journal could not record a saga's
 * start or a step's start, a query failed, no connection or transaction could be had — from any other.
 * Such a failure is answered 503: the request did nothing further (a step whose start could not be journaled
 * is never run), and the same request may succeed once the database is back.
 *
 * <pre>{@code
 * DatabaseOutage.isCause(failure)   // CannotGetJdbcConnectionException, CannotCreateTransactionException, JournalException...
 * }</pre>
 */
final class DatabaseOutage {

    private DatabaseOutage() {
    }

    /**
     * @param failure what a request threw
     * @return whether it, or one of its causes, is a failure to use the database
     */
    static boolean isCause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof JournalPayloadException) {
                // Arguments that cannot be written as JSON are a programming error, not an outage.
                return false;
            }
            if (t instanceof JournalException || t instanceof DataAccessException || t instanceof CannotCreateTransactionException) {
                return true;
            }
            if (t.getCause() == t) {
                return false;
            }
        }
        return false;
    }
}
