package dev.reversible.core.engine;

import dev.reversible.core.RollbackPolicy;
import dev.reversible.core.SagaJournal;

import java.time.Duration;

/**
 * An executor's configuration, shared by its engines: rollback policy, compensation retry, listeners and journal.
 *
 * @param policy what a rollback does when a compensation fails
 * @param maxAttempts attempts per compensation, the first included
 * @param backoff the wait between two attempts
 * @param listeners every listener, guarded and suspended
 * @param journal where outermost sagas are recorded, or {@code null}
 * @param access what the engine reads and changes in the API's objects beyond their public methods
 */
record Settings(RollbackPolicy policy, int maxAttempts, Duration backoff, Listeners listeners, SagaJournal journal, CoreAccess access) {
}
