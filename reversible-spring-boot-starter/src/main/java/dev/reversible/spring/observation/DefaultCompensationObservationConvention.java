package dev.reversible.spring.observation;

import io.micrometer.common.KeyValues;

/**
 * The default {@link CompensationObservationConvention}: name {@value #NAME}; low-cardinality keys
 * {@code action} and, once it ended, {@code outcome} ({@code compensated | failed | undone_by_transaction});
 * high-cardinality keys {@code saga.id}, {@code saga} and {@code compensation.attempts}.
 */
public class DefaultCompensationObservationConvention implements CompensationObservationConvention {

    /** The observation's name, and so the name of the timer derived from it. */
    public static final String NAME = "reversible.compensation";

    /** A shared instance. */
    public static final DefaultCompensationObservationConvention INSTANCE = new DefaultCompensationObservationConvention();

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public String getContextualName(CompensationObservationContext context) {
        return "compensation " + context.getAction();
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(CompensationObservationContext context) {
        KeyValues values = KeyValues.of(ReversibleKeyNames.ACTION, context.getAction());
        String outcome = context.getOutcome();
        return outcome == null ? values : values.and(ReversibleKeyNames.OUTCOME, outcome);
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(CompensationObservationContext context) {
        return context.getSagaKeyValues().and(ReversibleKeyNames.ATTEMPTS, Integer.toString(context.getAttempts()));
    }
}
