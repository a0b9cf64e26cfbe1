package dev.reversible.core;

import static dev.reversible.core.Failures.thrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.junit.jupiter.api.Test;

/**
 * Saga deadlines: past its deadline no step of a saga starts — the attempt fails with {@link SagaTimeoutException}
 * and the saga rolls back, whatever its rollback rule — and a pending asynchronous step is treated as timed out.
 */
class SagaDeadlineTests {

    private static final Duration DEADLINE = Duration.ofMillis(100);

    private final Calls calls = new Calls();
    private final RecordingListener listener = new RecordingListener();
    private final SagaExecutor executor = Reversible.executor().listener(listener).build();

    @Test
    void aPendingStepTimesOutAtTheDeadlineAndTheNextStepNeverStarts() {
        Step third = Step.ok(calls, "third");
        CompositeAction<String> saga = Reversible.<String>gen(scope -> {
            scope.run(Step.ok(calls, "first"));
            CompletionStage<String> second = scope.runAsync(AsyncStep.ok(calls, "second").forwardsReturning(new CompletableFuture<>()));
            // The body handles the second step's failure (its timeout, at the deadline) and tries to carry on.
            String outcome = second.handle((value, failure) -> Failures.unwrap(failure).getClass().getSimpleName())
                    .toCompletableFuture().join();
            calls.add("body saw " + outcome);
            return scope.run(third);
        }).named("slow").timeout(DEADLINE).rollbackOn(failure -> false);

        Throwable thrown = thrownBy(() -> executor.execute(saga));

        assertThat(thrown).isInstanceOf(SagaTimeoutException.class)
                .hasMessageStartingWith("Saga slow (")
                .hasMessageEndingWith(") passed its deadline (timeout PT0.1S): no further step may start");
        assertThat(((SagaTimeoutException) thrown).timeout()).isEqualTo(DEADLINE);
        assertThat(((SagaTimeoutException) thrown).sagaName()).isEqualTo("slow");
        assertThat(third.forwardsCount).hasValue(0);
        assertThat(calls.list()).containsExactly("first", "second", "undo second", "body saw StepTimeoutException", "undo first");
        assertThat(listener.reports()).singleElement().satisfies(report -> {
            assertThat(report.failure()).isSameAs(thrown);
            assertThat(report.compensated()).containsExactly("second", "first");
        });
    }

    @Test
    void anAsynchronousSagaPastItsDeadlineTimesOutItsPendingStepAndRollsBack() {
        AsyncStep never = AsyncStep.ok(calls, "never").forwardsReturning(new CompletableFuture<>());
        CompletableFuture<String> saga = executor.executeAsync(Reversible.<String>genAsync(scope ->
                scope.run(AsyncStep.ok(calls, "first")).thenCompose(first -> scope.run(never))
                        .thenCompose(n -> scope.run(AsyncStep.ok(calls, "third")))).named("slowAsync").timeout(DEADLINE));

        Throwable failure = StepTimeoutTests.failureOf(saga);

        assertThat(failure).isInstanceOf(StepTimeoutException.class);
        assertThat(((StepTimeoutException) failure).timeout()).isEqualTo(DEADLINE);
        assertThat(calls.list()).containsExactly("first", "never", "undo never", "undo first");
    }

    @Test
    void aSagaThatEndsBeforeItsDeadlineCompletes() throws Exception {
        String result = executor.execute(Reversible.gen(scope -> scope.run(Step.ok(calls, "a")) + scope.run(Step.ok(calls, "b")))
                .timeout(Duration.ofMinutes(1)));

        assertThat(result).isEqualTo("ab");
        assertThat(calls.list()).containsExactly("a", "b");
    }

    @Test
    void aNestedCompositesTimeoutIsNotConsulted() throws Exception {
        CompositeAction<String> inner = Reversible.gen(scope -> scope.run(Step.ok(calls, "inner"))).timeout(Duration.ofNanos(1));

        String result = executor.execute(Reversible.gen(scope -> scope.run(Step.ok(calls, "outer")) + scope.run(inner)));

        assertThat(result).isEqualTo("outerinner");
    }
}
