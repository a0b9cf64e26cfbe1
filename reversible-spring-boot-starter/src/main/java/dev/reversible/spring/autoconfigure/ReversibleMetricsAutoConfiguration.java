package dev.reversible.spring.autoconfigure;

import dev.reversible.spring.metrics.ReversibleMetrics;
import dev.reversible.spring.statistics.SagaStatistics;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer meters for sagas, steps and compensations, when a {@link MeterRegistry} is present; see
 * {@link ReversibleMetrics} for names and tags.
 *
 * <pre>{@code
 * GET /actuator/metrics/reversible.saga?tag=outcome:compensated
 * }</pre>
 */
@AutoConfiguration(after = ReversibleAutoConfiguration.class,
        afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
                "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
                "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({ MeterRegistry.class, SagaStatistics.class })
public final class ReversibleMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ReversibleMetrics reversibleMetrics(SagaStatistics statistics) {
        return new ReversibleMetrics(statistics);
    }
}
