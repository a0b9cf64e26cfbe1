package dev.reversible.spring.observation;

import io.micrometer.common.KeyValues;

/**
 * The default {@link SagaObservationConvention}: name {@value #NAME}; low-cardinality keys {@code saga} (the
 * saga's name) and, once it ended, {@code outcome} ({@code completed | compensated | compensation_failed |
 * failed}); high-cardinality key {@code saga.id}. The {@code outcome} key is absent at start, so the long-task
 * timer {@code reversible.saga.active} is tagged by {@code saga} only.
 */
public class DefaultSagaObservationConvention implements SagaObservationConvention {

    /** The observation's name, and so the name of the timer derived from it. */
    public static final String NAME = "reversible.saga";

    /** A shared instance. */
    public static final DefaultSagaObservationConvention INSTANCE = new DefaultSagaObservationConvention();

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public String getContextualName(SagaObservationContext context) {
        return "saga " + context.getSagaName();
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(SagaObservationContext context) {
        KeyValues values = KeyValues.of(ReversibleKeyNames.SAGA, context.getSagaName());
        String outcome = context.getOutcome();
        return outcome == null ? values : values.and(ReversibleKeyNames.OUTCOME, outcome);
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(SagaObservationContext context) {
        return KeyValues.of(ReversibleKeyNames.SAGA_ID, context.getSagaId());
    }
}
