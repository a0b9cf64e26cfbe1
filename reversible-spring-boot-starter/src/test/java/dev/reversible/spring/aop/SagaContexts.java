package dev.reversible.spring.aop;

import dev.reversible.spring.autoconfigure.ReversibleAutoConfiguration;
import dev.reversible.spring.autoconfigure.ReversibleMetricsAutoConfiguration;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** A real application context as a user gets it: the starter's auto-configuration, with Boot's Micrometer set-up. */
final class SagaContexts {

    private SagaContexts() {
    }

    /** @return a runner with the reversible and the metrics auto-configurations (a {@code SimpleMeterRegistry}) */
    static ApplicationContextRunner runner() {
        return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
                CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
                ReversibleAutoConfiguration.class, ReversibleMetricsAutoConfiguration.class));
    }

    /** @return the count of the {@code reversible.saga} timer of one saga name and outcome */
    static long sagaCount(MeterRegistry registry, String saga, String outcome) {
        FunctionTimer timer = registry.get("reversible.saga").tag("saga", saga).tag("outcome", outcome).functionTimer();
        return (long) timer.count();
    }
}
