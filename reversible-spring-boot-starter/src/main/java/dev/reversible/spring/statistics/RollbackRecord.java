package dev.reversible.spring.statistics;

import java.time.Instant;
import java.util.List;

import dev.reversible.core.RollbackReport;
import dev.reversible.core.SagaInfo;
import dev.reversible.spring.jdbc.SagaRecoveredException;

/**
 * One recent rollback, as the actuator endpoint shows it. Never argument values.
 *
 * <pre>{@code
 * statistics.recentRollbacks().forEach(r -> System.out.println(r.sagaName() + " undid " + r.compensated()));
 * }</pre>
 *
 * @param sagaName the saga's name
 * @param sagaId the saga execution's id
 * @param failedStep the step whose failure started the rollback, or {@code null} when the saga's own code failed
 * @param exceptionClass the original failure's class name
 * @param exceptionMessage the original failure's message, or {@code null}
 * @param compensated the steps compensated, in the order their compensations ran
 * @param failedCompensations the steps whose compensation failed on every attempt
 * @param pending the steps left un-compensated (failed or never run), in rollback order
 * @param undoneByTransaction the steps not compensated because their transaction's rollback undid them
 * @param timestamp when the rollback ended
 * @param recovered whether the rollback was run by recovery from the journal (the instance that ran the saga
 *     stopped before it ended), not by the saga's own failure on this instance
 */
public record RollbackRecord(String sagaName, String sagaId, String failedStep, String exceptionClass, String exceptionMessage,
        List<String> compensated, List<String> failedCompensations, List<String> pending, List<String> undoneByTransaction,
        Instant timestamp, boolean recovered) {

    /** Copies the lists. */
    public RollbackRecord {
        compensated = List.copyOf(compensated);
        failedCompensations = List.copyOf(failedCompensations);
        pending = List.copyOf(pending);
        undoneByTransaction = List.copyOf(undoneByTransaction);
    }

    /**
     * A rollback of the saga's own failure, not a recovered one.
     * @param sagaName the saga's name
     * @param sagaId the saga execution's id
     * @param failedStep the step whose failure started the rollback, or {@code null}
     * @param exceptionClass the original failure's class name
     * @param exceptionMessage the original failure's message, or {@code null}
     * @param compensated the steps compensated
     * @param failedCompensations the steps whose compensation failed
     * @param pending the steps left un-compensated
     * @param undoneByTransaction the steps undone by their transaction's rollback
     * @param timestamp when the rollback ended
     */
    public RollbackRecord(String sagaName, String sagaId, String failedStep, String exceptionClass, String exceptionMessage,
            List<String> compensated, List<String> failedCompensations, List<String> pending, List<String> undoneByTransaction,
            Instant timestamp) {
        this(sagaName, sagaId, failedStep, exceptionClass, exceptionMessage, compensated, failedCompensations, pending,
                undoneByTransaction, timestamp, false);
    }

    /**
     * A recovered saga's report carries a {@link SagaRecoveredException} as its failure (the journal's
     * recovery reports it so): that is what marks the record {@link #recovered()}.
     * @param saga the rolled-back saga
     * @param report what its rollback did
     * @param timestamp when it ended
     * @return the record of that rollback
     */
    public static RollbackRecord of(SagaInfo saga, RollbackReport report, Instant timestamp) {
        Throwable failure = report.failure();
        return new RollbackRecord(saga.name(), saga.id(), report.failedStep(), failure == null ? null : failure.getClass().getName(),
                failure == null ? null : failure.getMessage(), report.compensated(), report.failedCompensations(), report.pending(),
                report.undoneByTransaction(), timestamp, failure instanceof SagaRecoveredException);
    }
}
