package dev.reversible.jdbc;

/**
 * Where a saga is in its life, as stored in the journal.
 *
 * <pre>
 * RUNNING → (deleted) | COMPLETED | FAILED
 * RUNNING → COMPENSATING → COMPENSATED | STUCK
 * STUCK → COMPENSATING (an operator's retry) | RESOLVED (an operator closed it)
 * </pre>
 */
public enum SagaStatus {
    /** Its steps run; owned by a live instance, or claimable when its owner is dead. */
    RUNNING,
    /** Being undone, now or by a persistent retry; claimable when its owner is dead. */
    COMPENSATING,
    /** Every step undone. Purged after the retention. */
    COMPENSATED,
    /** A compensation failed after all its retries: waits for an operator. Never claimed, never purged. */
    STUCK,
    /** An operator closed a stuck saga with a note; nothing more runs. Purged after the retention. */
    RESOLVED,
    /** Ended normally and kept ({@link CompletedSagas#KEEP}). Purged after the retention. */
    COMPLETED,
    /** Left by a {@code noRollbackFor} exception, its steps kept ({@link CompletedSagas#KEEP}). Purged after the retention. */
    FAILED;

    /** @return whether the saga is over and may be purged once older than the retention */
    public boolean isPurgeable() {
        return this == COMPENSATED || this == RESOLVED || this == COMPLETED || this == FAILED;
    }
}
