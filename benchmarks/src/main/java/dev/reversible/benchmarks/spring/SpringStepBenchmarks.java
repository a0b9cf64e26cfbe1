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
 * Rows (3) and (6), the cost of one step: a running saga calls one {@code @ReversibleAction} 100 times,
 * against the same calls to the same method behind a no-op {@code @Around} aspect and behind a no-op
 * {@code MethodInterceptor} — the true proxy floor, the kind of advice the starter itself is (the callers
 * are advised alike, see {@link Orders}). Row (6) does the same with an asynchronous action returning a
 * completed {@code CompletableFuture}, against that method behind the no-op aspect. JMH divides by 100
 * ({@code @OperationsPerInvocation}), so ns/op and B/op are per step, the saga boundary amortised to a
 * hundredth.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class SpringStepBenchmarks {

    private static final int STEPS = 100;

    /** One {@code @ReversibleAction} call inside a running {@code @ReversibleSaga}. */
    @Benchmark
    @OperationsPerInvocation(STEPS)
    public int reversibleAction(SpringContext spring) {
        return spring.reversible.placeOrder(STEPS);
    }

    /** The same method behind a no-op {@code @Around} aspect. */
    @Benchmark
    @OperationsPerInvocation(STEPS)
    public int noOpAspect(SpringContext spring) {
        return spring.noOpAspects.placeOrder(STEPS);
    }

    /** The same method behind a no-op {@code MethodInterceptor}: the proxy floor. */
    @Benchmark
    @OperationsPerInvocation(STEPS)
    public int noOpInterceptor(SpringContext spring) {
        return spring.noOpInterceptors.placeOrder(STEPS);
    }

    /** One asynchronous {@code @ReversibleAction} call, its future already complete, inside a running saga. */
    @Benchmark
    @OperationsPerInvocation(STEPS)
    public int asyncReversibleAction(SpringContext spring) {
        return spring.reversibleAsync.placeOrder(STEPS);
    }

    /** The same asynchronous method behind a no-op {@code @Around} aspect. */
    @Benchmark
    @OperationsPerInvocation(STEPS)
    public int asyncNoOpAspect(SpringContext spring) {
        return spring.noOpAspectsAsync.placeOrder(STEPS);
    }
}
