package dev.reversible.spring.health;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import dev.reversible.spring.jdbc.StuckSagaCount;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The health contributor {@code reversible} (bean {@code reversibleHealthIndicator}): how many sagas are
 * {@code STUCK} in the journal and for how long the oldest has been, whether the journal could be read, and how
 * many unfinished sagas this instance's code could not compensate ({@code unrecoverable}: written by another release).
 *
 * <pre>{@code
 * "reversible": { "status": "UP", "details": { "stuck": 1, "oldestStuck": "PT42M", "journal": "reachable", "unrecoverable": 0 } }
 * }</pre>
 *
 * <p>The status is {@code UP} even with stuck sagas — a stuck saga waits for an operator and must not take an
 * instance out of a load balancer — unless {@code reversible.jdbc.health.stuck-status} maps "at least one
 * stuck" to another status. An unreachable journal does not change the status either (the {@code db}
 * contributor reports the database itself): the details say {@code "journal": "unreachable"} with the last
 * count read, and the mapping applies to that count.
 */
public final class ReversibleHealthIndicator implements HealthIndicator {

    private final StuckSagaCount stuckSagas;
    private final Status stuckStatus;

    /**
     * @param stuckSagas the stuck sagas, read through a short cache
     * @param stuckStatus the status while at least one saga is stuck
     */
    public ReversibleHealthIndicator(StuckSagaCount stuckSagas, Status stuckStatus) {
        this.stuckSagas = Objects.requireNonNull(stuckSagas, "stuckSagas");
        this.stuckStatus = Objects.requireNonNull(stuckStatus, "stuckStatus");
    }

    @Override
    public Health health() {
        StuckSagaCount.Snapshot snapshot = stuckSagas.current();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("stuck", snapshot.stuck());
        details.put("oldestStuck", snapshot.oldestStuck() == null ? null : snapshot.oldestStuck().toString());
        details.put("journal", snapshot.reachable() ? "reachable" : "unreachable");
        details.put("unrecoverable", snapshot.unrecoverable());
        if (snapshot.error() != null) {
            details.put("error", snapshot.error());
        }
        return Health.status(snapshot.stuck() > 0 ? stuckStatus : Status.UP).withDetails(details).build();
    }
}
