package dev.reversible.benchmarks.spring;

import dev.reversible.spring.observation.SagaObservationListener;
import dev.reversible.spring.statistics.SagaStatistics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.aop.ObservedAspect;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * {@link BenchmarkApplication} with the starter's {@link SagaObservationListener} on an
 * {@code ObservationRegistry}: with {@code observations=meters}, a real registry whose only handler is
 * Micrometer's {@link DefaultMeterObservationHandler} on a {@link SimpleMeterRegistry} (what Boot's actuator
 * derives the {@code reversible.*} timers with, minus Prometheus); with {@code observations=noop},
 * {@link ObservationRegistry#NOOP}, as an application whose observations are switched off has.
 */
@State(Scope.Benchmark)
public class ObservedSpringContext {

    /** {@code meters}: observations on, timers derived; {@code noop}: the no-op registry. */
    @Param({ "noop", "meters" })
    public String observations;

    private AnnotationConfigApplicationContext context;

    /** The saga whose steps are {@code @ReversibleAction}s. */
    public Orders.Reversible reversible;

    /** The same calls behind no-op aspects. */
    public Orders.NoOpAspects noOpAspects;

    /** The same calls observed by Micrometer's own {@code ObservedAspect} on the same registry (row 11). */
    public Orders.ObservedCalls observedCalls;

    private MeterRegistry meters;

    @Setup(Level.Trial)
    public void start() {
        ObservationRegistry registry;
        if (observations.equals("meters")) {
            meters = new SimpleMeterRegistry();
            registry = ObservationRegistry.create();
            registry.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
        } else {
            registry = ObservationRegistry.NOOP;
        }
        context = new AnnotationConfigApplicationContext();
        context.registerBean(ObservationRegistry.class, () -> registry);
        context.register(Observed.class);
        context.refresh();
        reversible = context.getBean(Orders.Reversible.class);
        noOpAspects = context.getBean(Orders.NoOpAspects.class);
        observedCalls = context.getBean(Orders.ObservedCalls.class);

        require(reversible.placeOrder(3) == 3, "the saga's result");
        require(context.getBean(SagaStatistics.class).totals().completed() == 1, "one saga completed in the statistics");
        if (meters != null) {
            require(meters.get("reversible.saga").timer().count() == 1, "one saga timed by the meter handler");
            require(meters.get("reversible.step").tag("action", "reserve").timer().count() == 3, "three steps timed by the meter handler");
        }
        require(noOpAspects.placeOrder(3) == 3, "the no-op aspects' result");
        require(observedCalls.placeOrder(3) == 3, "the observed calls' result");
        if (meters != null) {
            require(meters.get("inventory.reserve").timer().count() == 3, "three @Observed calls timed by the meter handler");
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        context.close();
    }

    private static void require(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException("Benchmark set-up is wrong: expected " + what);
        }
    }

    /** The benchmark application and the starter's observation listener on the registry bean. */
    @Configuration(proxyBeanMethods = false)
    @Import(BenchmarkApplication.class)
    static class Observed {

        /** A listener bean: the starter's executor takes every {@code SagaListener} bean. */
        @Bean
        SagaObservationListener sagaObservationListener(ObservationRegistry observationRegistry) {
            return new SagaObservationListener(observationRegistry);
        }

        /** Micrometer's own aspect for {@code @Observed}: row (11)'s baseline, on the same registry. */
        @Bean
        ObservedAspect observedAspect(ObservationRegistry observationRegistry) {
            return new ObservedAspect(observationRegistry);
        }

        @Bean
        ObservedInventory observedInventory() {
            return new ObservedInventory();
        }

        @Bean
        Orders.ObservedCalls observedCalls(ObservedInventory observedInventory) {
            return new Orders.ObservedCalls(observedInventory);
        }
    }
}
