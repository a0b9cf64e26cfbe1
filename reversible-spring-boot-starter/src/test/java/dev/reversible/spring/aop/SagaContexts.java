package dev.reversible.spring.aop;

import dev.reversible.spring.autoconfigure.ReversibleAutoConfiguration;
import dev.reversible.spring.autoconfigure.ReversibleMetricsAutoConfiguration;
import dev.reversible.spring.autoconfigure.ReversibleObservationAutoConfiguration;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** A real application context as a user gets it: the starter's auto-configuration, with Boot's Micrometer set-up. */
final class SagaContexts {

    private SagaContexts() {
    }

    /** @return a runner with the reversible and the metrics auto-configurations (a {@code SimpleMeterRegistry}) and Boot's {@code ObservationRegistry} */
    static ApplicationContextRunner runner() {
        return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
                CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
                ObservationAutoConfiguration.class, ReversibleAutoConfiguration.class, ReversibleObservationAutoConfiguration.class,
                ReversibleMetricsAutoConfiguration.class));
    }

    /** @return the count of the {@code reversible.saga} timer of one saga name and outcome */
    static long sagaCount(MeterRegistry registry, String saga, String outcome) {
        // One timer per error class: the sum is the outcome's count.
        return registry.get("reversible.saga").tag("saga", saga).tag("outcome", outcome).timers().stream().mapToLong(Timer::count).sum();
    }
}
