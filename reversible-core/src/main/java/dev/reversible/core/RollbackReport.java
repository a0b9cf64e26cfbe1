package dev.reversible.core;

import java.util.List;

/**
 * What a rollback did, handed to {@link SagaListener#sagaRolledBack}.
 *
 * <pre>{@code
 * public void sagaRolledBack(SagaInfo saga, long nanos, RollbackReport report) {
 *     log.warn("{} undone after {} failed: compensated {}, left {}", saga.name(), report.failedStep(),
 *             report.compensated(), report.pending());
 * }
 * }</pre>
 *
 * @param failedStep the step whose failure started the rollback, or {@code null} when the saga's body
 *     failed outside any step
 * @param failure the original failure
 * @param compensated the steps successfully compensated, in the order their compensations ran
 * @param failedCompensations the steps whose compensation failed after its retries
 * @param pending the steps left un-compensated (failed or never run), in rollback order
 * @param undoneByTransaction the steps not compensated because their transaction's rollback undid them,
 *     in rollback order
 */
public record RollbackReport(String failedStep, Throwable failure, List<String> compensated,
        List<String> failedCompensations, List<String> pending, List<String> undoneByTransaction) {

    /** Copies the lists, so a report never changes after it was made. */
    public RollbackReport {
        compensated = List.copyOf(compensated);
        failedCompensations = List.copyOf(failedCompensations);
        pending = List.copyOf(pending);
        undoneByTransaction = List.copyOf(undoneByTransaction);
    }

    /** A report of a rollback in which no transaction undid a step. */
    public RollbackReport(String failedStep, Throwable failure, List<String> compensated, List<String> failedCompensations,
            List<String> pending) {
        this(failedStep, failure, compensated, failedCompensations, pending, List.of());
    }

    /** @return whether every compensation succeeded */
    public boolean isComplete() {
        return failedCompensations.isEmpty() && pending.isEmpty();
    }
}
