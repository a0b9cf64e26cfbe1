package dev.reversible.core;

import static dev.reversible.core.Failures.failureOf;
import static dev.reversible.core.Failures.thrownBy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.junit.jupiter.api.Test;

/** Rules 1–3 through the static entry points, and what {@link Reversible} hands out. */
class ReversibleTests {

    private final Calls calls = new Calls();

    @Test
    void executeReturnsWhatForwardsReturnsAndCallsNothingElse() throws Exception {
        Step step = Step.ok(calls, "a");

        assertThat(Reversible.execute(step)).isEqualTo("a");

        assertThat(calls.list()).containsExactly("a");
        assertThat(step.forwardsCount).hasValue(1);
        assertThat(step.backwardsCount).hasValue(0);
    }

    @Test
    void executeReturnsNullWhenForwardsDoes() throws Exception {
        Action<Object> nothing = Reversible.action(ctx -> null, ctx -> calls.add("undo"));

        assertThat(Reversible.execute(nothing)).isNull();
        assertThat(calls.list()).isEmpty();
    }

    @Test
    void failedForwardsIsCompensatedExactlyOnceThenTheSameExceptionIsRethrown() {
        IllegalStateException boom = new IllegalStateException("boom");
        Step step = Step.ok(calls, "a").failing(boom);

        Throwable thrown = thrownBy(() -> Reversible.execute(step));

        assertThat(thrown).isSameAs(boom);
        assertThat(calls.list()).containsExactly("a", "undo a");
        assertThat(step.backwardsCount).hasValue(1);
    }

    @Test
    void checkedExceptionIsRethrownAsItIsNeverWrapped() {
        IOException ioFailure = new IOException("disk full");
        Step step = Step.ok(calls, "write").failing(ioFailure);

        Throwable thrown = thrownBy(() -> Reversible.execute(step));

        assertThat(thrown).isSameAs(ioFailure).hasNoCause();
        assertThat(calls.list()).containsExactly("write", "undo write");
    }

    @Test
    void errorFromForwardsIsCompensatedAndRethrownAsItIs() {
        AssertionError error = new AssertionError("broken invariant");
        Step step = Step.ok(calls, "a").failing(error);

        assertThat(thrownBy(() -> Reversible.execute(step))).isSameAs(error);
        assertThat(calls.list()).containsExactly("a", "undo a");
    }

    @Test
    void failingCompensationThrowsCompensationFailedExceptionWithTheOriginalAsCause() {
        IOException original = new IOException("forwards failed");
        IllegalStateException compensationFailure = new IllegalStateException("backwards failed");
        Step step = Step.ok(calls, "a").failing(original).compensationFailing(compensationFailure);

        Throwable thrown = thrownBy(() -> Reversible.execute(step));

        assertThat(thrown).isExactlyInstanceOf(CompensationFailedException.class);
        CompensationFailedException incomplete = (CompensationFailedException) thrown;
        assertThat(incomplete.getCause()).isSameAs(original);
        assertThat(incomplete.failures()).containsExactly(compensationFailure);
        assertThat(incomplete.getSuppressed()).containsExactly(compensationFailure);
        assertThat(incomplete.pending()).containsExactly("a");
        assertThat(step.backwardsCount).hasValue(1);
    }

    @Test
    void executeRefusesNull() {
        assertThatThrownBy(() -> Reversible.execute(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Reversible.executeAsync(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void genBuildsACompositeNamedSagaUntilRenamed() throws Exception {
        CompositeAction<String> composite = Reversible.gen(saga -> saga.run(Step.ok(calls, "a")));

        assertThat(composite.name()).isEqualTo("saga");
        assertThat(composite.named("placeOrder").name()).isEqualTo("placeOrder");
        assertThat(Reversible.execute(composite)).isEqualTo("a");
    }

    @Test
    void genAsyncBuildsAnAsyncCompositeNamedSagaUntilRenamed() {
        AsyncCompositeAction<String> composite = Reversible.genAsync(saga -> saga.run(AsyncStep.ok(calls, "a")));

        assertThat(composite.name()).isEqualTo("saga");
        assertThat(composite.named("postComment").name()).isEqualTo("postComment");
        assertThat(Reversible.executeAsync(composite).join()).isEqualTo("a");
    }

    @Test
    void executeAsyncOfASingleAsyncActionReturnsItsResult() {
        AsyncStep step = AsyncStep.ok(calls, "a");

        assertThat(Reversible.executeAsync(step).join()).isEqualTo("a");
        assertThat(calls.list()).containsExactly("a");
    }

    @Test
    void executeAsyncOfAFailingAsyncActionCompensatesItAndFailsWithTheSameInstance() {
        IOException boom = new IOException("boom");
        AsyncStep step = AsyncStep.ok(calls, "a").failing(boom);

        CompletableFuture<String> future = Reversible.executeAsync(step);

        assertThat(failureOf(future)).isSameAs(boom);
        assertThat(calls.list()).containsExactly("a", "undo a");
    }

    @Test
    void executorBuilderHasTheSeedsDefaults() {
        SagaExecutor executor = Reversible.executor().build();

        assertThat(executor.rollbackPolicy()).isEqualTo(RollbackPolicy.ABORT);
        assertThat(executor.compensationMaxAttempts()).isEqualTo(1);
        assertThat(executor.compensationBackoff()).isEqualTo(Duration.ZERO);
    }

    @Test
    void executorBuilderKeepsItsConfiguration() {
        SagaExecutor executor = Reversible.executor()
                .rollbackPolicy(RollbackPolicy.CONTINUE)
                .compensationRetry(3, Duration.ofMillis(5))
                .listener(new SagaListener() { })
                .build();

        assertThat(executor.rollbackPolicy()).isEqualTo(RollbackPolicy.CONTINUE);
        assertThat(executor.compensationMaxAttempts()).isEqualTo(3);
        assertThat(executor.compensationBackoff()).isEqualTo(Duration.ofMillis(5));
    }

    @Test
    void executorBuilderRefusesNonsense() {
        assertThatThrownBy(() -> Reversible.executor().compensationRetry(0, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxAttempts");
        assertThatThrownBy(() -> Reversible.executor().compensationRetry(2, Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("backoff");
        assertThatThrownBy(() -> Reversible.executor().compensationRetry(2, null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("backoff");
        assertThatThrownBy(() -> Reversible.executor().rollbackPolicy(null))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Reversible.executor().listener(null))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void actionNameDefaultsToTheSimpleClassName() {
        class CreateUser implements Action<Long> {
            @Override
            public Long forwards() {
                return 1L;
            }

            @Override
            public void backwards() {
            }
        }
        assertThat(new CreateUser().name()).isEqualTo("CreateUser");
    }

    @Test
    void anonymousActionIsNamedAfterItsFullClassName() {
        Action<Long> anonymous = new Action<>() {
            @Override
            public Long forwards() {
                return 1L;
            }

            @Override
            public void backwards() {
            }
        };
        assertThat(anonymous.name()).isEqualTo(anonymous.getClass().getName()).isNotEmpty();

        AsyncAction<Long> anonymousAsync = new AsyncAction<>() {
            @Override
            public CompletionStage<Long> forwards() {
                return CompletableFuture.completedFuture(1L);
            }

            @Override
            public CompletionStage<?> backwards() {
                return null;
            }
        };
        assertThat(anonymousAsync.name()).isEqualTo(anonymousAsync.getClass().getName());
    }
}
