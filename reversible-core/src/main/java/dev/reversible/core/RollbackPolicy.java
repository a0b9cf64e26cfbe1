package dev.reversible.core;

/**
 * What a rollback does when a compensation fails (after its retries).
 *
 * <pre>{@code
 * SagaExecutor executor = Reversible.executor().rollbackPolicy(RollbackPolicy.CONTINUE).build();
 * }</pre>
 */
public enum RollbackPolicy {

    /**
     * Stop at the first compensation that fails — the failed step's own included — and leave the
     * rest un-compensated, listed in {@link CompensationFailedException#pending()}. The seed library's
     * behaviour, and the default: a compensation that failed may mean the world is not what the
     * remaining compensations expect.
     */
    ABORT,

    /**
     * Run every remaining compensation even after one fails, and collect all the failures in
     * {@link CompensationFailedException#failures()}.
     */
    CONTINUE
}
