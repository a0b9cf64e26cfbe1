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
 * Row (7), carrying a saga across an executor hop: Micrometer's {@code captureAll().wrap(task).run()} —
 * what {@code ContextPropagatingTaskDecorator} does to each task — inside a running saga, whose scope the
 * starter's {@code SagaContextAccessor} captures and restores, against the same with no saga running, the
 * plain decorated task. The wrapped task runs on the same thread, so the figures are the capture and the
 * restore, not a thread hop. JMH divides by {@link ContextHops#HOPS}, so ns/op and B/op are per hop; the
 * saga around the hops is amortised to a hundredth of its cost.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class SpringContextHopBenchmarks {

    /** A captured and restored context holding a running saga's scope. */
    @Benchmark
    @OperationsPerInvocation(ContextHops.HOPS)
    public int hopInSaga(SpringContext spring) throws Exception {
        return spring.contextHops.inSaga();
    }

    /** The same with no saga running: nothing of the starter's to capture. */
    @Benchmark
    @OperationsPerInvocation(ContextHops.HOPS)
    public int hopWithoutSaga(SpringContext spring) {
        return spring.contextHops.withoutSaga();
    }
}
