package dev.reversible.spring.observation;

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

    @Override
    public String getContextualName(StepObservationContext context) {
        return "step " + context.getAction();
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(StepObservationContext context) {
        KeyValues values = KeyValues.of(ReversibleKeyNames.ACTION, context.getAction());
        String outcome = context.getOutcome();
        return outcome == null ? values : values.and(ReversibleKeyNames.OUTCOME, outcome);
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(StepObservationContext context) {
        return KeyValues.of(ReversibleKeyNames.SAGA_ID, context.getSagaId(), ReversibleKeyNames.SAGA, context.getSagaName());
    }
}
