package dev.reversible.benchmarks;

import java.util.concurrent.TimeUnit;

import dev.reversible.core.CompositeAction;
import dev.reversible.core.Reversible;
import dev.reversible.core.SagaExecutor;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Row (5): one composite of 10, 100, 1,000 or 10,000 steps, run to success and rolled back from its
 * last step. JMH reports the time of the whole saga; {@code ratios.py} divides by {@code steps} and
 * compares each size's cost per step with the cost per step at 10 (linear cost: the ratio stays near 1).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class CoreScaleBenchmarks {

    @Param({"10", "100", "1000", "10000"})
    public int steps;

    private final SagaExecutor executor = Reversible.executor().build();
    private CompositeAction<Integer> saga;
    private CompositeAction<Integer> failingSaga;

    @Setup(Level.Trial)
    public void setUp() {
        saga = saga(CountingStep.steps(steps, false));
        failingSaga = saga(CountingStep.steps(steps, true));
    }

    private static CompositeAction<Integer> saga(CountingStep[] steps) {
        return Reversible.gen(scope -> {
            int sum = 0;
            for (CountingStep step : steps) {
                sum += scope.run(step);
            }
            return sum;
        }).named("scale");
    }

    /** Runs every step to success. */
    @Benchmark
    public Integer saga() throws Exception {
        return executor.execute(saga);
    }

    /** Runs every step; the last fails, so all of them are undone in reverse order. */
    @Benchmark
    public Exception sagaRollback() throws Exception {
        try {
            executor.execute(failingSaga);
        } catch (CountingStep.StepFailure e) {
            return e;
        }
        throw new IllegalStateException("the last step did not fail");
    }
}
