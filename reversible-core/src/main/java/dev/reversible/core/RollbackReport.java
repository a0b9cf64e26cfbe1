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
 */
public record RollbackReport(String failedStep, Throwable failure, List<String> compensated,
        List<String> failedCompensations, List<String> pending) {

    /** Copies the lists, so a report never changes after it was made. */
    public RollbackReport {
        compensated = List.copyOf(compensated);
        failedCompensations = List.copyOf(failedCompensations);
        pending = List.copyOf(pending);
    }

    /** @return whether every compensation succeeded */
    public boolean isComplete() {
        return failedCompensations.isEmpty() && pending.isEmpty();
    }
}
