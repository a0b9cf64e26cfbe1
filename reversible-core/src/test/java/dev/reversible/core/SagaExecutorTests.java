package dev.reversible.core;

import static dev.reversible.core.Failures.failureOf;
import static dev.reversible.core.Failures.thrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** A composite is bound to no executor: it runs under the policy, retry and listeners of whoever executes it. */
class SagaExecutorTests {

    private final Calls calls = new Calls();
    private final IOException original = new IOException("original");
    private final IllegalStateException undoBFailed = new IllegalStateException("undo b failed");

    /** a, b (whose compensation fails), c, then the body fails. */
    private CompositeAction<Void> sagaWithAFailingCompensation() {
        return Reversible.gen(saga -> {
            saga.run(Step.ok(calls, "a"));
            saga.run(Step.ok(calls, "b").compensationFailing(undoBFailed));
            saga.run(Step.ok(calls, "c"));
            throw original;
        });
    }

    @Test
    void theSameCompositeRunsUnderThePolicyOfTheExecutorThatExecutesIt() {
        CompositeAction<Void> composite = sagaWithAFailingCompensation();
        SagaExecutor abort = Reversible.executor().rollbackPolicy(RollbackPolicy.ABORT).build();
        SagaExecutor keepGoing = Reversible.executor().rollbackPolicy(RollbackPolicy.CONTINUE).build();

        CompensationFailedException aborted = (CompensationFailedException) thrownBy(() -> abort.execute(composite));
        CompensationFailedException continued = (CompensationFailedException) thrownBy(() -> keepGoing.execute(composite));

        assertThat(aborted.pending()).containsExactly("b", "a");
        assertThat(continued.pending()).containsExactly("b");
        assertThat(calls.list()).containsExactly(
                "a", "b", "c", "undo c", "undo b",
                "a", "b", "c", "undo c", "undo b", "undo a");
    }

    @Test
    void nestedCompositesRunUnderTheOutermostExecutorsPolicyRetryAndListeners() {
        RecordingListener listener = new RecordingListener();
        SagaExecutor executor = Reversible.executor()
                .rollbackPolicy(RollbackPolicy.CONTINUE)
                .compensationRetry(2, Duration.ZERO)
                .listener(listener)
                .build();
        Step b = Step.ok(calls, "b").compensationFailing(undoBFailed);
        CompositeAction<Void> inner = Reversible.<Void>gen(saga -> {
            saga.run(b);
            saga.run(Step.ok(calls, "c"));
            return null;
        }).named("inner");

        Throwable thrown = thrownBy(() -> executor.execute(Reversible.gen(saga -> {
            saga.run(Step.ok(calls, "a"));
            saga.run(inner);
            throw original;
        }).named("outer")));

        assertThat(b.backwardsCount).hasValue(2);   // the outer executor's retry
        assertThat(calls.list()).containsExactly("a", "b", "c", "undo c", "undo b", "undo b", "undo a");   // CONTINUE
        assertThat(((CompensationFailedException) thrown).pending()).containsExactly("b");
        assertThat(listener.events()).containsExactly(
                "sagaStarted outer",
                "stepCompleted a",
                "stepCompleted b",
                "stepCompleted c",
                "compensationSucceeded c attempts=1",
                "compensationFailed b attempts=2 undo b failed",
                "compensationSucceeded a attempts=1",
                "sagaRolledBack outer");
    }

    @Test
    void asyncCompositeRunsUnderThePolicyOfTheExecutorThatExecutesIt() {
        AsyncCompositeAction<Void> composite = Reversible.genAsync(saga -> saga.run(AsyncStep.ok(calls, "a"))
                .thenCompose(x -> saga.run(AsyncStep.ok(calls, "b").compensationFailing(undoBFailed, 10)))
                .thenCompose(x -> saga.run(AsyncStep.ok(calls, "c")))
                .thenCompose(x -> CompletableFuture.failedFuture(original)));
        SagaExecutor abort = Reversible.executor().build();
        SagaExecutor keepGoing = Reversible.executor().rollbackPolicy(RollbackPolicy.CONTINUE).build();

        CompletableFuture<Void> aborted = abort.executeAsync(composite);
        CompletableFuture<Void> continued = keepGoing.executeAsync(composite);

        assertThat(((CompensationFailedException) failureOf(aborted)).pending()).containsExactly("b", "a");
        assertThat(((CompensationFailedException) failureOf(continued)).pending()).containsExactly("b");
    }

    @Test
    void executorIsReusableAcrossSagas() throws Exception {
        SagaExecutor executor = Reversible.executor().build();

        assertThat(executor.execute(Step.ok(calls, "first"))).isEqualTo("first");
        thrownBy(() -> executor.execute(Step.ok(calls, "second").failing(original)));
        assertThat(executor.execute(Step.ok(calls, "third"))).isEqualTo("third");

        assertThat(calls.list()).containsExactly("first", "second", "undo second", "third");
    }

    @Test
    void concurrentSagasOnOneExecutorKeepTheirStepsApart() throws Exception {
        RecordingListener listener = new RecordingListener();
        SagaExecutor shared = Reversible.executor().listener(listener).build();
        CyclicBarrier bothStarted = new CyclicBarrier(2);
        Calls failing = new Calls();
        Calls succeeding = new Calls();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Throwable> failed = pool.submit(() -> thrownBy(() -> shared.execute(Reversible.gen(saga -> {
                saga.run(Step.ok(failing, "f1"));
                bothStarted.await(10, TimeUnit.SECONDS);
                saga.run(Step.ok(failing, "f2"));
                throw original;
            }).named("failing"))));
            Future<String> succeeded = pool.submit(() -> shared.execute(Reversible.gen(saga -> {
                saga.run(Step.ok(succeeding, "s1"));
                bothStarted.await(10, TimeUnit.SECONDS);
                return saga.run(Step.ok(succeeding, "s2"));
            }).named("succeeding")));

            assertThat(failed.get(10, TimeUnit.SECONDS)).isSameAs(original);
            assertThat(succeeded.get(10, TimeUnit.SECONDS)).isEqualTo("s2");
        } finally {
            pool.shutdownNow();
        }

        assertThat(failing.list()).containsExactly("f1", "f2", "undo f2", "undo f1");
        assertThat(succeeding.list()).containsExactly("s1", "s2");
        assertThat(listener.events()).contains("sagaRolledBack failing", "sagaCompleted succeeding");
        assertThat(listener.reports()).singleElement().satisfies(report -> assertThat(report.compensated()).containsExactly("f2", "f1"));
    }

    @Test
    void compensationFailedExceptionFromASagaTheBodyRanOnItsOwnIsAnOrdinaryFailureOfThisSaga() {
        // A body that executes another saga directly (not as a step) and lets its
        // CompensationFailedException escape: that saga's rollback is its own business; this saga still
        // undoes its completed steps, and the other saga's exception reaches the caller unchanged.
        SagaExecutor executor = Reversible.executor().build();
        CompositeAction<Void> other = Reversible.gen(saga -> {
            saga.run(Step.ok(calls, "x").compensationFailing(undoBFailed));
            throw original;
        });

        Throwable thrown = thrownBy(() -> executor.execute(Reversible.gen(saga -> {
            saga.run(Step.ok(calls, "a"));
            return executor.execute(other);
        })));

        assertThat(thrown).isInstanceOf(CompensationFailedException.class).hasCauseReference(original);
        assertThat(((CompensationFailedException) thrown).pending()).containsExactly("x");
        assertThat(calls.list()).containsExactly("a", "x", "undo x", "undo a");
    }
}
