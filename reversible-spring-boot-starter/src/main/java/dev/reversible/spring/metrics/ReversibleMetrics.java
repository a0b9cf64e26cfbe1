package dev.reversible.spring.metrics;

import java.util.ArrayList;
import java.util.List;

import dev.reversible.spring.observation.CompensationObservationContext;
import dev.reversible.spring.observation.CompensationObservationConvention;
import dev.reversible.spring.observation.DefaultCompensationObservationConvention;
import dev.reversible.spring.observation.DefaultSagaObservationConvention;
import dev.reversible.spring.observation.DefaultStepObservationConvention;
import dev.reversible.spring.observation.SagaObservationContext;
import dev.reversible.spring.observation.SagaObservationConvention;
import dev.reversible.spring.observation.StepObservationContext;
import dev.reversible.spring.observation.StepObservationConvention;
import dev.reversible.spring.statistics.SagaStatistics;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.ObservationFilter;

/**
 * The reversible meters. They are recorded by Micrometer's meter observation handler from the observations of
 * {@link dev.reversible.spring.observation.SagaObservationListener} — real {@link Timer}s, so {@code max},
 * percentiles, histograms and SLOs ({@code management.metrics.distribution.*}) apply. This binder only makes
 * them appear before the first run: as soon as a saga or action name is known (at start-up, for annotated
 * ones) it registers its timers for every outcome with a zero count, tagged exactly as the observations will
 * tag them.
 *
 * <ul>
 * <li>{@value #SAGA} — timer per outermost saga; tags {@code saga}, {@code outcome} =
 * {@code completed | compensated | compensation_failed | failed}, {@code error};</li>
 * <li>{@value #STEP} — timer per step; tags {@code action}, {@code outcome} = {@code completed | failed},
 * {@code error};</li>
 * <li>{@value #COMPENSATION} — timer per compensation; tags {@code action}, {@code outcome} = {@code compensated |
 * failed | undone_by_transaction} (the step's transaction rolled back and undid it: no handler ran),
 * {@code error};</li>
 * <li>{@value #ACTIVE} — long-task timer of the sagas running now; tag {@code saga}.</li>
 * </ul>
 * {@code error} is the failure's simple class name, {@code none} without one. Tag values are saga and action
 * names and class names only, never argument values. The handler also derives {@code reversible.step.active}
 * and {@code reversible.compensation.active} (unless {@code management.metrics.observations.ignored-meters}
 * says {@code long-task-timer}).
 *
 * <pre>{@code
 * registry.get("reversible.saga").tags("saga", "OrderService.placeOrder", "outcome", "compensated").timer().max(SECONDS);
 * }</pre>
 */
public class ReversibleMetrics implements MeterBinder {

    /** Timer of outermost sagas. */
    public static final String SAGA = DefaultSagaObservationConvention.NAME;
    /** Timer of steps. */
    public static final String STEP = DefaultStepObservationConvention.NAME;
    /** Timer of compensations. */
    public static final String COMPENSATION = DefaultCompensationObservationConvention.NAME;
    /** Long-task timer of running sagas. */
    public static final String ACTIVE = SAGA + ".active";

    private static final List<String> SAGA_OUTCOMES = List.of("completed", "compensated", "compensation_failed", "failed");
    private static final List<String> STEP_OUTCOMES = List.of("completed", "failed");
    private static final List<String> COMPENSATION_OUTCOMES = List.of("compensated", "failed", "undone_by_transaction");

    private final SagaStatistics statistics;
    private final ObservationConvention<SagaObservationContext> sagaConvention;
    private final ObservationConvention<StepObservationContext> stepConvention;
    private final ObservationConvention<CompensationObservationContext> compensationConvention;
    private final List<ObservationFilter> filters;

    /** @param statistics where the saga and action names come from; the default conventions, no filters */
    public ReversibleMetrics(SagaStatistics statistics) {
        this(statistics, null, null, null, List.of());
    }

    /**
     * @param statistics where the saga and action names come from
     * @param sagaConvention the saga convention the observations use, or {@code null} for the default
     * @param stepConvention the step convention, or {@code null}
     * @param compensationConvention the compensation convention, or {@code null}
     * @param filters the observation filters the registry applies when an observation stops (Boot's
     *     {@code management.observations.key-values.*} among them): their key values are tags too, and every
     *     timer of one name must have the same tag keys
     */
    public ReversibleMetrics(SagaStatistics statistics, SagaObservationConvention sagaConvention, StepObservationConvention stepConvention,
            CompensationObservationConvention compensationConvention, List<ObservationFilter> filters) {
        this.statistics = statistics;
        this.sagaConvention = sagaConvention != null ? sagaConvention : DefaultSagaObservationConvention.INSTANCE;
        this.stepConvention = stepConvention != null ? stepConvention : DefaultStepObservationConvention.INSTANCE;
        this.compensationConvention = compensationConvention != null ? compensationConvention
                : DefaultCompensationObservationConvention.INSTANCE;
        this.filters = List.copyOf(filters);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        statistics.subscribeSagas(saga -> {
            SagaObservationContext running = new SagaObservationContext(saga.name(), "");
            LongTaskTimer.builder(sagaConvention.getName() + ".active")
                    .tags(tags(sagaConvention.getLowCardinalityKeyValues(running)))
                    .description("Sagas running now")
                    .register(registry);
            for (String outcome : SAGA_OUTCOMES) {
                SagaObservationContext ended = new SagaObservationContext(saga.name(), "");
                ended.setOutcome(outcome);
                timer(registry, sagaConvention.getName(), ended, sagaConvention.getLowCardinalityKeyValues(ended), "Outermost sagas");
            }
        });
        statistics.subscribeActions(action -> {
            for (String outcome : STEP_OUTCOMES) {
                StepObservationContext ended = new StepObservationContext("", "", action.name());
                ended.setOutcome(outcome);
                timer(registry, stepConvention.getName(), ended, stepConvention.getLowCardinalityKeyValues(ended), "Saga steps");
            }
            for (String outcome : COMPENSATION_OUTCOMES) {
                CompensationObservationContext ended = new CompensationObservationContext("", "", action.name());
                ended.setOutcome(outcome);
                timer(registry, compensationConvention.getName(), ended, compensationConvention.getLowCardinalityKeyValues(ended),
                        "Compensations");
            }
        });
    }

    /** Tags as the meter handler makes them when the observation stops: the convention's, the filters', then {@code error}. */
    private void timer(MeterRegistry registry, String name, Observation.Context context, KeyValues keyValues,
            String description) {
        context.setName(name);
        context.addLowCardinalityKeyValues(KeyValues.of(keyValues));
        Observation.Context filtered = context;
        for (ObservationFilter filter : filters) {
            filtered = filter.map(filtered);
        }
        Timer.builder(name)
                .tags(tags(filtered.getLowCardinalityKeyValues()))
                .tag("error", "none")
                .description(description)
                .register(registry);
    }

    private static Tags tags(Iterable<KeyValue> keyValues) {
        List<Tag> tags = new ArrayList<>();
        for (KeyValue keyValue : keyValues) {
            tags.add(Tag.of(keyValue.getKey(), keyValue.getValue()));
        }
        return Tags.of(tags);
    }
}
