package dev.reversible.core;

import static dev.reversible.core.Failures.thrownBy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

/**
 * A running step's own scope is made only when something asks for it, and a body keeps its thread's
 * holder: what a step or a body binds or unbinds through {@link SagaContext} must not make a step lose its
 * children, adopt another step's, or hide from {@link SagaExecutor#currentScope()}.
 */
class RunningStepBindingTests {

    private final Calls calls = new Calls();
    private final Calls starts = new Calls();
    private final SagaExecutor executor = Reversible.executor().build();
    private final IOException failure = new IOException("failed");

    @Test
    void bodyWhoseThreadWasUnboundAndBoundAgainStillShowsItsRunningStepToCurrentScope() {
        Throwable thrown = thrownBy(() -> executor.execute(Reversible.gen(scope -> {
            SagaScope previous = SagaContext.bind(null);   // the thread's holder is unbound...
            SagaContext.bind(previous);                    // ...and a new one bound: the body's kept holder is stale
            return scope.run(ParentStep.of(calls, "p", () ->
                    executor.currentScope().run(ParentStep.leaf(calls, "c").recordingStartsIn(starts)))
                    .recordingStartsIn(starts).failing(failure));
        })));

        assertThat(thrown).isSameAs(failure);
        assertThat(starts.list()).containsExactly("p 0 -1", "c 1 0");
        assertThat(calls.list()).containsExactly("p", "c", "undo c", "undo p");
    }

    @Test
    void stepThatLeavesAnotherStepsScopeBoundNeitherTakesItsChildrenNorReplacesIt() {
        AtomicReference<SagaScope> firstStepsScope = new AtomicReference<>();

        Throwable thrown = thrownBy(() -> executor.execute(Reversible.gen(scope -> {
            scope.run(ParentStep.of(calls, "a", () -> {
                firstStepsScope.set(SagaContext.current());
                executor.currentScope().run(Step.ok(calls, "c"));
            }));
            scope.run(ParentStep.of(calls, "b", () -> SagaContext.bind(firstStepsScope.get())));   // never bound back
            throw failure;
        })));

        assertThat(thrown).isSameAs(failure);
        assertThat(calls.list()).containsExactly("a", "c", "b", "undo b", "undo c", "undo a");
        assertThat(executor.currentScope()).isNull();
    }

    @Test
    void stepWhoseScopeNobodyAskedForStandsAloneAndTheNextStepIsItsSibling() throws Exception {
        String result = executor.execute(Reversible.gen(scope -> {
            scope.run(ParentStep.leaf(calls, "a").recordingStartsIn(starts));
            scope.run(ParentStep.leaf(calls, "b").recordingStartsIn(starts));
            return "done";
        }));

        assertThat(result).isEqualTo("done");
        assertThat(starts.list()).containsExactly("a 0 -1", "b 1 -1");
        assertThat(executor.currentScope()).isNull();
        assertThat(SagaContext.current()).isNull();
    }

    @Test
    void onlyAScopeCapturedFromASagaCanBeBound() {
        SagaScope foreign = new SagaScope() {
            @Override
            public <T> T run(Action<T> step) {
                return null;
            }

            @Override
            public <T> java.util.concurrent.CompletionStage<T> runAsync(AsyncAction<T> step) {
                return null;
            }

            @Override
            public SagaInfo saga() {
                return null;
            }
        };

        assertThatThrownBy(() -> SagaContext.bind(foreign)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Not a saga scope captured by SagaContext.current()");
        assertThat(SagaContext.current()).isNull();
    }
}
