package dev.reversible.benchmarks.spring;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Row (3) with the starter's observations: one {@code @ReversibleAction} call inside a running saga (100
 * per saga, reported per call, as in {@link SpringStepBenchmarks}), its saga and steps observed through an
 * {@code ObservationRegistry} — the no-op one ({@code observations=noop}: the cost must stay within row (3)'s
 * targets) or a real one deriving Micrometer timers ({@code observations=meters}: reported, dominated by
 * Micrometer's observation and timer per step) — against the same method behind a no-op {@code @Around}
 * aspect in the same application.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class SpringObservedStepBenchmarks {

    private static final int STEPS = 100;

    /** One observed {@code @ReversibleAction} call inside a running {@code @ReversibleSaga}. */
    @Benchmark
    @OperationsPerInvocation(STEPS)
    public int reversibleAction(ObservedSpringContext spring) {
        return spring.reversible.placeOrder(STEPS);
    }

    /** The same method behind a no-op {@code @Around} aspect. */
    @Benchmark
    @OperationsPerInvocation(STEPS)
    public int noOpAspect(ObservedSpringContext spring) {
        return spring.noOpAspects.placeOrder(STEPS);
    }

    /**
     * Row (11)'s baseline: the same method annotated {@code @Observed} behind Micrometer's {@code ObservedAspect}
     * on the same registry — an observed step should cost what any observed call costs.
     */
    @Benchmark
    @OperationsPerInvocation(STEPS)
    public int observedAspect(ObservedSpringContext spring) {
        return spring.observedCalls.placeOrder(STEPS);
    }
}
