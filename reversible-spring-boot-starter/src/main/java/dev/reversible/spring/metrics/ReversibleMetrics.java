package dev.reversible.spring.metrics;

import java.util.concurrent.TimeUnit;

import dev.reversible.spring.statistics.ActionCounts;
import dev.reversible.spring.statistics.SagaCounts;
import dev.reversible.spring.statistics.SagaStatistics;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Binds the reversible meters. Each meter reads {@link SagaStatistics} (function timers and a gauge), so
 * the meters and the actuator endpoint show the same numbers; a meter is registered as soon as its saga
 * or action name is known, with every outcome, so that zero counts show too.
 *
 * <ul>
 * <li>{@value #SAGA} — timer per outermost saga; tags {@code saga}, {@code outcome} =
 * {@code completed | compensated | compensation_failed | failed};</li>
 * <li>{@value #STEP} — timer per step; tags {@code action}, {@code outcome} = {@code completed | failed};</li>
 * <li>{@value #COMPENSATION} — timer per compensation; tags {@code action}, {@code outcome} = {@code compensated | failed |
 * undone_by_transaction} (the step's transaction rolled back and undid it: no handler ran);</li>
 * <li>{@value #ACTIVE} — gauge of the sagas running now.</li>
 * </ul>
 * Tag values are saga and action names only, never argument values.
 *
 * <pre>{@code
 * new ReversibleMetrics(statistics).bindTo(registry);
 * registry.get("reversible.saga").tag("outcome", "compensated").functionTimer().count();
 * }</pre>
 */
public class ReversibleMetrics implements MeterBinder {

    /** Timer of outermost sagas. */
    public static final String SAGA = "reversible.saga";
    /** Timer of steps. */
    public static final String STEP = "reversible.step";
    /** Timer of compensations. */
    public static final String COMPENSATION = "reversible.compensation";
    /** Gauge of running sagas. */
    public static final String ACTIVE = "reversible.saga.active";

    private final SagaStatistics statistics;

    /** @param statistics what the meters read */
    public ReversibleMetrics(SagaStatistics statistics) {
        this.statistics = statistics;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder(ACTIVE, statistics, s -> s.totals().active())
                .description("Sagas running now")
                .register(registry);
        statistics.subscribeSagas(saga -> {
            timer(registry, SAGA, "saga", saga.name(), "completed", saga.completedOutcome(), "Outermost sagas");
            timer(registry, SAGA, "saga", saga.name(), "compensated", saga.compensatedOutcome(), "Outermost sagas");
            timer(registry, SAGA, "saga", saga.name(), "compensation_failed", saga.compensationFailedOutcome(), "Outermost sagas");
            timer(registry, SAGA, "saga", saga.name(), "failed", saga.failedOutcome(), "Outermost sagas");
        });
        statistics.subscribeActions(action -> bindAction(registry, action));
    }

    private static void bindAction(MeterRegistry registry, ActionCounts action) {
        timer(registry, STEP, "action", action.name(), "completed", action.completedOutcome(), "Saga steps");
        timer(registry, STEP, "action", action.name(), "failed", action.failedOutcome(), "Saga steps");
        timer(registry, COMPENSATION, "action", action.name(), "compensated", action.compensatedOutcome(), "Compensations");
        timer(registry, COMPENSATION, "action", action.name(), "failed", action.compensationFailedOutcome(), "Compensations");
        timer(registry, COMPENSATION, "action", action.name(), "undone_by_transaction", action.undoneByTransactionOutcome(), "Compensations");
    }

    private static void timer(MeterRegistry registry, String name, String key, String value, String outcome,
            SagaCounts.Outcome counts, String description) {
        FunctionTimer.builder(name, counts, SagaCounts.Outcome::count, c -> c.totalTime(TimeUnit.NANOSECONDS), TimeUnit.NANOSECONDS)
                .tag(key, value)
                .tag("outcome", outcome)
                .description(description)
                .register(registry);
    }
}
