package dev.reversible.core;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** A step that runs a saga of its own and lets its CompensationFailedException through. */
class ForeignCompensationFailureTests {

    @Test
    void anotherSagasCompensationFailureIsAnOrdinaryFailureHereAndTheCompletedStepsAreStillUndone() {
        List<String> calls = new ArrayList<>();
        SagaExecutor executor = Reversible.executor().build();
        Action<Object> innerSaga = Reversible.gen(scope -> scope.run(Reversible.action(c -> {
            calls.add("inner forwards");
            throw new IllegalStateException("inner failure");
        }, c -> {
            calls.add("inner backwards");
            throw new IllegalStateException("inner cannot undo");
        }).named("inner")));
        CompositeAction<Object> outer = Reversible.gen(scope -> {
            scope.run(Reversible.action(c -> calls.add("first forwards"), c -> calls.add("first backwards")).named("first"));
            return scope.run(Reversible.action(c -> executor.execute(innerSaga), c -> calls.add("runner backwards")).named("runner"));
        });

        Throwable thrown = catchThrowable(() -> executor.execute(outer));

        assertThat(thrown).isInstanceOf(CompensationFailedException.class);
        CompensationFailedException foreign = (CompensationFailedException) thrown;
        assertThat(foreign.pending()).containsExactly("inner");
        assertThat(calls).containsExactly("first forwards", "inner forwards", "inner backwards", "runner backwards", "first backwards");
    }

    @Test
    void aRollbackOfAnotherSagaThatFailsWrapsTheForeignExceptionAsTheOriginal() {
        SagaExecutor executor = Reversible.executor().build();
        Action<Object> innerSaga = Reversible.gen(scope -> scope.run(Reversible.action(c -> {
            throw new IllegalStateException("inner failure");
        }, c -> {
            throw new IllegalStateException("inner cannot undo");
        }).named("inner")));
        IllegalStateException outerUndo = new IllegalStateException("outer cannot undo");
        CompositeAction<Object> outer = Reversible.gen(scope -> {
            scope.run(Reversible.action(c -> "done", c -> {
                throw outerUndo;
            }).named("first"));
            return scope.run(Reversible.action(c -> executor.execute(innerSaga), c -> { }).named("runner"));
        });

        Throwable thrown = catchThrowable(() -> executor.execute(outer));

        assertThat(thrown).isInstanceOf(CompensationFailedException.class);
        CompensationFailedException mine = (CompensationFailedException) thrown;
        assertThat(mine.getCause()).isInstanceOf(CompensationFailedException.class);
        assertThat(((CompensationFailedException) mine.getCause()).pending()).containsExactly("inner");
        assertThat(mine.failures()).containsExactly(outerUndo);
        assertThat(mine.pending()).containsExactly("first");
    }
}
