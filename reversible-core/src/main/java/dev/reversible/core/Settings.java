package dev.reversible.core;

import java.time.Duration;

/**
 * An executor's configuration, shared by its engines: rollback policy, compensation retry, listeners and journal.
 *
 * @param policy what a rollback does when a compensation fails
 * @param maxAttempts attempts per compensation, the first included
 * @param backoff the wait between two attempts
 * @param listeners every listener, guarded and suspended
 * @param journal where outermost sagas are recorded, or {@code null}
 */
record Settings(RollbackPolicy policy, int maxAttempts, Duration backoff, Listeners listeners, SagaJournal journal) {
}
