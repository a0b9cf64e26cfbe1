package dev.reversible.spring.actuate.endpoint;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.reversible.spring.statistics.ActionCounts;
import dev.reversible.spring.statistics.RollbackRecord;
import dev.reversible.spring.statistics.SagaCounts;
import dev.reversible.spring.statistics.SagaStatistics;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * {@code GET /actuator/reversible}: totals, per-saga and per-action counts, and the most recent
 * rollbacks; {@code GET /actuator/reversible/{sagaName}}: one saga's counts (404 when unknown). Reads
 * the same {@link SagaStatistics} as the meters. Never shows argument values.
 *
 * <pre>{@code
 * management.endpoints.web.exposure.include=health,reversible
 * }</pre>
 */
@Endpoint(id = "reversible")
public class ReversibleEndpoint {

    private final SagaStatistics statistics;

    /** @param statistics what the endpoint shows */
    public ReversibleEndpoint(SagaStatistics statistics) {
        this.statistics = statistics;
    }

    /** @return the whole picture */
    @ReadOperation
    public ReversibleDescriptor reversible() {
        Map<String, SagaDescriptor> sagas = new LinkedHashMap<>();
        statistics.sagas().forEach((name, counts) -> sagas.put(name, SagaDescriptor.of(counts)));
        Map<String, ActionDescriptor> actions = new LinkedHashMap<>();
        statistics.actions().forEach((name, counts) -> actions.put(name, ActionDescriptor.of(counts)));
        return new ReversibleDescriptor(SagaDescriptor.of(statistics.totals()), sagas, actions, statistics.recentRollbacks());
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
