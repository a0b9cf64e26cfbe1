package dev.reversible.spring.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names the {@code reversible.saga} observation and its key values. Declare a bean of this type to replace
 * {@link DefaultSagaObservationConvention} (extending it keeps the documented keys, which the meters and the
 * dashboard rely on), or register a {@code GlobalObservationConvention} for the same context.
 */
public interface SagaObservationConvention extends ObservationConvention<SagaObservationContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof SagaObservationContext;
    }
}
