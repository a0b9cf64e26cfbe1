package dev.reversible.spring.actuate.endpoint;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.reversible.spring.statistics.ActionCounts;
import dev.reversible.spring.statistics.RollbackRecord;
import dev.reversible.spring.statistics.SagaCounts;
import dev.reversible.spring.statistics.SagaStatistics;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * {@code GET /actuator/reversible}: totals, per-saga and per-action counts, and the most recent
 * rollbacks; {@code GET /actuator/reversible/{sagaName}}: one saga's counts (404 when unknown). Reads
 * the same {@link SagaStatistics} as the meters. Never shows argument values or stack traces; the exception
 * messages of the recent rollbacks (which often carry customer data) follow Boot's {@code show-values}
 * convention: {@code management.endpoint.reversible.show-values} = {@code never} (the default: the class is
 * shown, the message reads {@value #HIDDEN}, as Boot's sanitizer writes), {@code when-authorized} (a caller in
 * one of {@code management.endpoint.reversible.roles}, or any authenticated caller when none is set) or
 * {@code always}.
 *
 * <pre>{@code
 * management.endpoints.web.exposure.include=health,reversible
 * management.endpoint.reversible.show-values=when-authorized
 * management.endpoint.reversible.roles=OPERATOR
 * }</pre>
 */
@Endpoint(id = "reversible")
public class ReversibleEndpoint {

    /** What a hidden message reads. */
    public static final String HIDDEN = "******";

    private final SagaStatistics statistics;

    private final Show showValues;

    private final Set<String> roles;

    /**
     * An endpoint that never shows exception messages.
     * @param statistics what the endpoint shows
     */
    public ReversibleEndpoint(SagaStatistics statistics) {
        this(statistics, Show.NEVER, Set.of());
    }

    /**
     * @param statistics what the endpoint shows
     * @param showValues when the exception messages of the recent rollbacks are shown
     * @param roles the roles that see them under {@link Show#WHEN_AUTHORIZED}
     */
    public ReversibleEndpoint(SagaStatistics statistics, Show showValues, Collection<String> roles) {
        this.statistics = statistics;
        this.showValues = showValues;
        this.roles = Set.copyOf(roles);
    }

    /**
     * @param securityContext who asks (for {@code show-values})
     * @return the whole picture
     */
    @ReadOperation
    public ReversibleDescriptor reversible(SecurityContext securityContext) {
        Map<String, SagaDescriptor> sagas = new LinkedHashMap<>();
        statistics.sagas().forEach((name, counts) -> sagas.put(name, SagaDescriptor.of(counts)));
        Map<String, ActionDescriptor> actions = new LinkedHashMap<>();
        statistics.actions().forEach((name, counts) -> actions.put(name, ActionDescriptor.of(counts)));
        List<RollbackRecord> rollbacks = statistics.recentRollbacks();
        if (!showValues.isShown(securityContext, roles)) {
            rollbacks = rollbacks.stream().map(ReversibleEndpoint::withoutMessage).toList();
        }
        return new ReversibleDescriptor(SagaDescriptor.of(statistics.totals()), sagas, actions, rollbacks);
    }

    /**
     * The whole picture as a caller with no credentials sees it (for Java callers: not an operation).
     * @return the whole picture, messages shown only under {@code show-values=always}
     */
    public ReversibleDescriptor reversible() {
        return reversible(SecurityContext.NONE);
    }

    private static RollbackRecord withoutMessage(RollbackRecord rollback) {
        if (rollback.exceptionMessage() == null) {
            return rollback;
        }
        return new RollbackRecord(rollback.sagaName(), rollback.sagaId(), rollback.failedStep(), rollback.exceptionClass(), HIDDEN,
                rollback.compensated(), rollback.failedCompensations(), rollback.pending(), rollback.undoneByTransaction(),
                rollback.timestamp(), rollback.recovered());
    }

    /**
     * @param sagaName the saga's name
     * @return its counts, or {@code null} (a 404) when no saga of that name is known
     */
    @ReadOperation
    public NamedSagaDescriptor saga(@Selector String sagaName) {
        SagaCounts counts = statistics.findSaga(sagaName);
        return counts == null ? null : NamedSagaDescriptor.of(sagaName, SagaDescriptor.of(counts));
    }

    /**
     * The endpoint's whole response.
     * @param totals counts over every saga
     * @param sagas counts per saga name
     * @param actions counts per action name
     * @param recentRollbacks the most recent rollbacks, newest first
     */
    public record ReversibleDescriptor(SagaDescriptor totals, Map<String, SagaDescriptor> sagas, Map<String, ActionDescriptor> actions,
            List<RollbackRecord> recentRollbacks) implements OperationResponseBody {
    }

    /**
     * One saga name's counts (or the totals).
     * @param started sagas started
     * @param completed returned normally
     * @param compensated failed and completely compensated
     * @param compensationFailed failed, and a compensation failed too
     * @param failed failed with an exception that keeps the completed steps
     * @param active running now
     */
    public record SagaDescriptor(long started, long completed, long compensated, long compensationFailed, long failed, long active) {

        static SagaDescriptor of(SagaCounts counts) {
            return new SagaDescriptor(counts.started(), counts.completed(), counts.compensated(), counts.compensationFailed(),
                    counts.failed(), counts.active());
        }
    }

    /**
     * One saga's counts, with its name: the response of {@code GET /actuator/reversible/{sagaName}}.
     * @param name the saga's name
     * @param started sagas started
     * @param completed returned normally
     * @param compensated failed and completely compensated
     * @param compensationFailed failed, and a compensation failed too
     * @param failed failed with an exception that keeps the completed steps
     * @param active running now
     */
    public record NamedSagaDescriptor(String name, long started, long completed, long compensated, long compensationFailed,
            long failed, long active) implements OperationResponseBody {

        static NamedSagaDescriptor of(String name, SagaDescriptor counts) {
            return new NamedSagaDescriptor(name, counts.started(), counts.completed(), counts.compensated(), counts.compensationFailed(),
                    counts.failed(), counts.active());
        }
    }

    /**
     * One action name's counts.
     * @param completed steps completed
     * @param failed steps failed
     * @param compensated compensations that succeeded
     * @param compensationFailed compensations that failed on every attempt
     * @param undoneByTransaction steps not compensated because their transaction's rollback undid them
     */
    public record ActionDescriptor(long completed, long failed, long compensated, long compensationFailed, long undoneByTransaction) {

        static ActionDescriptor of(ActionCounts counts) {
            return new ActionDescriptor(counts.completed(), counts.failed(), counts.compensated(), counts.compensationFailed(),
                    counts.undoneByTransaction());
        }
    }
}
