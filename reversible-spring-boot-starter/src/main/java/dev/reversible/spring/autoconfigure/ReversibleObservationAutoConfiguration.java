package dev.reversible.spring.autoconfigure;

import dev.reversible.spring.observation.CompensationObservationConvention;
import dev.reversible.spring.observation.SagaObservationConvention;
import dev.reversible.spring.observation.SagaObservationListener;
import dev.reversible.spring.observation.StepObservationConvention;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * An {@code Observation} per outermost saga, step and compensation, when an {@link ObservationRegistry} is
 * present (Boot's, with the actuator): the meters {@code reversible.saga}, {@code reversible.step},
 * {@code reversible.compensation} and {@code reversible.saga.active} derive from them, and with a tracing
 * bridge each saga is a trace span with its steps and compensations as children. A bean of type
 * {@link SagaObservationConvention}, {@link StepObservationConvention} or
 * {@link CompensationObservationConvention} replaces the default convention of its kind.
 *
 * <pre>{@code
 * management.observations.enable.reversible=false   # switches the observations (and so the timers) off
 * }</pre>
 */
@AutoConfiguration(afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnBooleanProperty(name = "reversible.enabled", matchIfMissing = true)
@ConditionalOnClass(ObservationRegistry.class)
@ConditionalOnBean(ObservationRegistry.class)
public final class ReversibleObservationAutoConfiguration {

    /** A listener bean: the executor of {@link ReversibleAutoConfiguration} takes every {@code SagaListener} bean. */
    @Bean
    @ConditionalOnMissingBean
    SagaObservationListener sagaObservationListener(ObservationRegistry observationRegistry,
            ObjectProvider<SagaObservationConvention> sagaConvention, ObjectProvider<StepObservationConvention> stepConvention,
            ObjectProvider<CompensationObservationConvention> compensationConvention) {
        return new SagaObservationListener(observationRegistry, sagaConvention.getIfUnique(), stepConvention.getIfUnique(),
                compensationConvention.getIfUnique());
    }
}
