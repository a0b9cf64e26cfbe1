package dev.reversible.benchmarks.spring;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Row (4), a whole saga: a {@code @ReversibleSaga} calling 10 {@code @ReversibleAction} steps on another
 * bean, against the same 10 calls through no-op {@code @Around} aspects, and against the same 10 calls
 * each {@code @Transactional} under a transaction manager that does nothing.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class SpringSagaBenchmarks {

    private static final int STEPS = 10;

    /** A saga of 10 reversible steps. */
    @Benchmark
    public int reversibleSaga(SpringContext spring) {
        return spring.reversible.placeOrder(STEPS);
    }

    /** The same 10 calls (and their caller) behind no-op aspects. */
    @Benchmark
    public int noOpAspects(SpringContext spring) {
        return spring.noOpAspects.placeOrder(STEPS);
    }

    /** The same 10 calls, each in a transaction of its own; the caller behind a no-op aspect. */
    @Benchmark
    public int transactional(SpringContext spring) {
        return spring.transactional.placeOrder(STEPS);
    }
}
