package dev.reversible.jdbc;

import java.time.Instant;

/**
 * One attempt of a step's compensation, as read from the journal.
 *
 * @param attempt the attempt, from 1, counting in-memory and persistent attempts alike
 * @param startedAt when it started (the application's clock)
 * @param endedAt when it ended
 * @param outcome how it ended
 * @param error what the handler threw (class and message, no stack), or null when it succeeded
 */
public record StoredCompensation(int attempt, Instant startedAt, Instant endedAt, CompensationOutcome outcome, ErrorText error) {
}
