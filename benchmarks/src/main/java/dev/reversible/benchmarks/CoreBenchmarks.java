package dev.reversible.benchmarks;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

import dev.reversible.core.CompositeAction;
import dev.reversible.core.Reversible;
import dev.reversible.core.SagaExecutor;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.CompilerControl;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A 10-step {@code gen} saga against the floor: the same 10 steps run by hand, each pushing an undo
 * lambda on an {@code ArrayDeque} — cleared on success, unwound on failure. Rows (1) and (2) of the
 * ratio table.
 *
 * <p>The failing variants throw one pre-allocated exception without a stack trace on both sides, so
 * the rollback figures price the engine, not {@code fillInStackTrace}. The plain floor runs in one
 * compiled method, where the JIT turns the throw into a jump; {@link #dequeUnwindingThroughCallsOfTenSteps}
 * is the same hand-written code with each step a real call, so that the failure unwinds one compiled
 * frame, as it must in any saga engine (the step fails in the body, the rollback runs outside it).
 *
 * <p>The core needs no proxies and no class loading after the first calls, so 1 s iterations reach a
 * steady state; three forks average out the noise of a shared machine.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class CoreBenchmarks {

    private static final int STEPS = 10;

    private final SagaExecutor executor = Reversible.executor().build();
    private CountingStep[] steps;
    private Runnable[] undos;
    private CompositeAction<Integer> saga;
    private CountingStep[] failingSteps;
    private Runnable[] failingUndos;
    private CompositeAction<Integer> failingSaga;

    @Setup(Level.Trial)
    public void setUp() {
        steps = CountingStep.steps(STEPS, false);
        undos = undos(steps);
        saga = saga(steps);
        failingSteps = CountingStep.steps(STEPS, true);
        failingUndos = undos(failingSteps);
        failingSaga = saga(failingSteps);
    }

    private static Runnable[] undos(CountingStep[] steps) {
        Runnable[] undos = new Runnable[steps.length];
        for (int i = 0; i < steps.length; i++) {
            undos[i] = steps[i]::undo;
        }
        return undos;
    }

    private static CompositeAction<Integer> saga(CountingStep[] steps) {
        return Reversible.gen(scope -> {
            int sum = 0;
            for (CountingStep step : steps) {
                sum += scope.run(step);
            }
            return sum;
        }).named("tenSteps");
    }

    /**
     * Every step of a rolled-back run is undone exactly once, so all counts must agree (all zero in a
     * fork that ran only the success benchmarks); a successful run undoes nothing.
     */
    @TearDown(Level.Trial)
    public void checkEveryStepWasUndoneAlike() {
        long expected = failingSteps[0].undone();
        for (CountingStep step : failingSteps) {
            if (step.undone() != expected) {
                throw new IllegalStateException("steps were not undone alike: " + step.undone() + " vs " + expected);
            }
        }
        for (CountingStep step : steps) {
            if (step.undone() != 0) {
                throw new IllegalStateException("a successful saga undid a step");
            }
        }
    }

    /** (1) The reversible side: a 10-step {@code gen} composite executed as a saga. */
    @Benchmark
    public Integer sagaOfTenSteps() throws Exception {
        return executor.execute(saga);
    }

    /** (1) The floor: the same 10 steps, each pushing its undo lambda on a fresh deque, cleared at the end. */
    @Benchmark
    public int dequeOfTenSteps() throws Exception {
        ArrayDeque<Runnable> undo = new ArrayDeque<>();
        int sum = 0;
        for (int i = 0; i < STEPS; i++) {
            sum += steps[i].forwards();
            undo.push(undos[i]);
        }
        undo.clear();
        return sum;
    }

    /** (2) The reversible side: the last of 10 steps fails; it and the 9 before it are undone in reverse order. */
    @Benchmark
    public Exception sagaRollbackOfTenSteps() throws Exception {
        try {
            executor.execute(failingSaga);
        } catch (CountingStep.StepFailure e) {
            return e;
        }
        throw new IllegalStateException("the last step did not fail");
    }

    /** (2) The floor: the same 10 steps by hand; on the failure, the deque is unwound, the failed step's own undo first. */
    @Benchmark
    public Exception dequeUnwindingOfTenSteps() {
        ArrayDeque<Runnable> undo = new ArrayDeque<>();
        int sum = 0;
        try {
            for (int i = 0; i < STEPS; i++) {
                undo.push(failingUndos[i]);
                sum += failingSteps[i].forwards();
            }
        } catch (CountingStep.StepFailure e) {
            for (Runnable r = undo.poll(); r != null; r = undo.poll()) {
                r.run();
            }
            return e;
        }
        throw new IllegalStateException("the last step did not fail, sum " + sum);
    }

    /**
     * (2, context) The floor with each step a real call, not inlined: the failure unwinds one compiled
     * frame, as in hand-written code whose steps are service calls.
     */
    @Benchmark
    public Exception dequeUnwindingThroughCallsOfTenSteps() {
        ArrayDeque<Runnable> undo = new ArrayDeque<>();
        int sum = 0;
        try {
            for (int i = 0; i < STEPS; i++) {
                undo.push(failingUndos[i]);
                sum += call(failingSteps[i]);
            }
        } catch (CountingStep.StepFailure e) {
            for (Runnable r = undo.poll(); r != null; r = undo.poll()) {
                r.run();
            }
            return e;
        }
        throw new IllegalStateException("the last step did not fail, sum " + sum);
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    private static int call(CountingStep step) throws CountingStep.StepFailure {
        return step.forwards();
    }
}
