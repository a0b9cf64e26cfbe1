package dev.reversible.spring.autoconfigure;

import dev.reversible.spring.metrics.ReversibleMetrics;
import dev.reversible.spring.observation.CompensationObservationConvention;
import dev.reversible.spring.observation.SagaObservationConvention;
import dev.reversible.spring.observation.StepObservationConvention;
import dev.reversible.spring.statistics.SagaStatistics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationFilter;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer meters for sagas, steps and compensations, when a {@link MeterRegistry} is present: the timers
 * that the meter observation handler derives from the observations of
 * {@link ReversibleObservationAutoConfiguration}, registered with zero counts for every known saga and action
 * before their first run; see {@link ReversibleMetrics} for names and tags.
 *
 * <pre>{@code
 * GET /actuator/metrics/reversible.saga?tag=outcome:compensated
 * management.metrics.distribution.percentiles-histogram.reversible.saga=true
 * }</pre>
 */
@AutoConfiguration(after = ReversibleAutoConfiguration.class,
        afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
                "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
                "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
                "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({ MeterRegistry.class, SagaStatistics.class })
public final class ReversibleMetricsAutoConfiguration {

    /** Knows the conventions and the filters the observations go through, so the zero-count timers get the very same tags. */
    @Bean
    @ConditionalOnMissingBean
    ReversibleMetrics reversibleMetrics(SagaStatistics statistics, ObjectProvider<SagaObservationConvention> sagaConvention,
            ObjectProvider<StepObservationConvention> stepConvention, ObjectProvider<CompensationObservationConvention> compensationConvention,
            ObjectProvider<ObservationFilter> filters) {
        return new ReversibleMetrics(statistics, sagaConvention.getIfUnique(), stepConvention.getIfUnique(),
                compensationConvention.getIfUnique(), filters.orderedStream().toList());
    }
}
