package dev.reversible.spring.statistics;

import java.time.Instant;
import java.util.List;

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
 * @param compensationsFailed the steps whose compensation failed on every attempt
 * @param pending the steps left un-compensated (failed or never run), in rollback order
 * @param timestamp when the rollback ended
 */
public record RollbackRecord(String sagaName, String sagaId, String failedStep, String exceptionClass, String exceptionMessage,
        List<String> compensated, List<String> compensationsFailed, List<String> pending, Instant timestamp) {

    /** Copies the lists. */
    public RollbackRecord {
        compensated = List.copyOf(compensated);
        compensationsFailed = List.copyOf(compensationsFailed);
        pending = List.copyOf(pending);
    }
}
