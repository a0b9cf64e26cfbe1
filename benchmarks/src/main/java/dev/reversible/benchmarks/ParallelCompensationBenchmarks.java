package dev.reversible.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import dev.reversible.core.AsyncAction;
import dev.reversible.core.AsyncCompositeAction;
import dev.reversible.core.CompensationMode;
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
 * Row (12): the rollback of 10 asynchronous steps whose {@code forwards} overlapped in time, each compensation
 * taking 10 ms (a remote call, modelled by a future completed 10 ms later), under {@link CompensationMode#SEQUENTIAL}
 * and {@link CompensationMode#PARALLEL} in the same run. Sequential is ten compensations one after another (about
 * 100 ms); parallel compensates the ten together (rule 15), about 10 ms plus the engine's overhead.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@State(Scope.Benchmark)
public class ParallelCompensationBenchmarks {

    private static final int STEPS = 10;
    private static final Executor TEN_MILLISECONDS_LATER = CompletableFuture.delayedExecutor(10, TimeUnit.MILLISECONDS);
    private static final RuntimeException FAILURE = new SagaFailure();

    /** One pre-allocated failure without a stack trace: the figures price the rollback, not {@code fillInStackTrace}. */
    private static final class SagaFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SagaFailure() {
            super("the saga fails after its steps", null, false, false);
        }
    }

    @Param({ "SEQUENTIAL", "PARALLEL" })
    public CompensationMode mode;

    private final SagaExecutor executor = Reversible.executor().build();
    private AsyncCompositeAction<Void> saga;

    @Setup(Level.Trial)
    public void setUp() {
        saga = Reversible.<Void>genAsync(scope -> {
            List<CompletableFuture<String>> pending = new ArrayList<>(STEPS);
            List<CompletableFuture<String>> steps = new ArrayList<>(STEPS);
            for (int i = 0; i < STEPS; i++) {
                CompletableFuture<String> forwards = new CompletableFuture<>();
                pending.add(forwards);
                steps.add(scope.run(remoteStep(forwards)).toCompletableFuture());
            }
            pending.forEach(forwards -> forwards.complete("done"));   // all ten were running at once
            return CompletableFuture.allOf(steps.toArray(new CompletableFuture<?>[0]))
                    .thenCompose(all -> CompletableFuture.<Void>failedFuture(FAILURE));
        }).named("tenOverlappingSteps").compensation(mode);
    }

    private static AsyncAction<String> remoteStep(CompletableFuture<String> forwards) {
        return new AsyncAction<>() {
            @Override
            public CompletionStage<String> forwards() {
                return forwards;
            }

            @Override
            public CompletionStage<?> backwards() {
                return CompletableFuture.runAsync(() -> { }, TEN_MILLISECONDS_LATER);
            }
        };
    }

    /** One saga: ten overlapping steps, then a failure, then the rollback; returns when every compensation has ended. */
    @Benchmark
    public Throwable rollbackOfTenOverlappingSteps() {
        return executor.executeAsync(saga).handle((value, failure) -> failure).join();
    }
}
