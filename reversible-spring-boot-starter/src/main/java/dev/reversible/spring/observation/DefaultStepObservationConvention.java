package dev.reversible.spring.observation;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.common.KeyValues;

/**
 * The default {@link StepObservationConvention}: name {@value #NAME}; low-cardinality keys {@code action}
 * and, once it ended, {@code outcome} ({@code completed | failed}); high-cardinality keys {@code saga.id} and
 * {@code saga} (an action may run in many sagas: the saga's name would multiply the step's time series).
 */
public class DefaultStepObservationConvention implements StepObservationConvention {

    /** The observation's name, and so the name of the timer derived from it. */
    public static final String NAME = "reversible.step";

    /** A shared instance. */
    public static final DefaultStepObservationConvention INSTANCE = new DefaultStepObservationConvention();

    @Override
    public String getName() {
        return NAME;
    }

    /**
     * Per action, its contextual name and low-cardinality key values, made once: a step's are asked at its start
     * and its stop, and building them each time was a tenth of an observed step's allocation. Bounded by the
     * application's actions, the same bound as the timers' series.
     */
    private final Map<String, ActionKeys> keys = new ConcurrentHashMap<>();

    @Override
    public String getContextualName(StepObservationContext context) {
        return keys(context.getAction()).contextualName();
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(StepObservationContext context) {
        ActionKeys action = keys(context.getAction());
        String outcome = context.getOutcome();
        if (outcome == null) {
            return action.running();
        }
        return switch (outcome) {
            case "completed" -> action.completed();
            case "failed" -> action.failed();
            default -> action.running().and(ReversibleKeyNames.OUTCOME, outcome);
        };
    }

    private ActionKeys keys(String action) {
        ActionKeys cached = keys.get(action);
        return cached != null ? cached : keys.computeIfAbsent(action, ActionKeys::of);
    }

    /** One action's contextual name and key values, with each outcome. */
    private record ActionKeys(String contextualName, KeyValues running, KeyValues completed, KeyValues failed) {

        static ActionKeys of(String action) {
            KeyValues running = KeyValues.of(ReversibleKeyNames.ACTION, action);
            return new ActionKeys("step " + action, running, running.and(ReversibleKeyNames.OUTCOME, "completed"),
                    running.and(ReversibleKeyNames.OUTCOME, "failed"));
        }
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(StepObservationContext context) {
        return context.getSagaKeyValues();
    }
}
