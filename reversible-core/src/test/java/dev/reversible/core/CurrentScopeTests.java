package dev.reversible.core;

import static dev.reversible.core.Failures.thrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link SagaExecutor#currentScope()} and the scopes bound to the thread. */
class CurrentScopeTests {

    private final Calls calls = new Calls();
    private final SagaExecutor executor = Reversible.executor().build();
    private final IOException failure = new IOException("failure");

    @AfterEach
    void nothingIsLeftBoundOnTheThread() throws Exception {
        assertThat(executor.currentScope()).isNull();
        assertThat(Reversible.executor().build().currentScope()).isNull();
        assertThat(boundHolder()).isNull();
    }

    /** What the engine's {@code ThreadScope} keeps in its thread-local for this thread: {@code null} once the outermost scope ended. */
    private static Object boundHolder() throws ReflectiveOperationException {
        Field current = Class.forName("dev.reversible.core.engine.ThreadScope").getDeclaredField("CURRENT");
        current.setAccessible(true);
        return ((ThreadLocal<?>) current.get(null)).get();
    }

    @Test
    void isNullOutsideAnySaga() {
        assertThat(executor.currentScope()).isNull();
    }

    @Test
    void isNullInsideASagaOfAnotherExecutor() throws Exception {
        SagaExecutor other = Reversible.executor().build();
        List<SagaScope> seen = new ArrayList<>();

        other.execute(Reversible.gen(saga -> {
            seen.add(executor.currentScope());
            return saga.run(ParentStep.of(calls, "p", () -> seen.add(executor.currentScope())));
        }));

        assertThat(seen).containsExactly(null, null);
    }

    @Test
    void isTheBodysScopeInsideAGenBodyNestedCompositesIncluded() throws Exception {
        List<SagaScope> bodies = new ArrayList<>();
        List<SagaScope> seen = new ArrayList<>();

        executor.execute(Reversible.gen(saga -> {
            bodies.add(saga);
            seen.add(executor.currentScope());
            saga.run(Reversible.gen(inner -> {
                bodies.add(inner);
                seen.add(executor.currentScope());
                return null;
            }));
            seen.add(executor.currentScope());
            return null;
        }));

        assertThat(seen).containsExactly(bodies.get(0), bodies.get(1), bodies.get(0));
    }

    @Test
    void isTheRunningStepsScopeInsideItsForwardsAndTheBodysAgainAfter() throws Exception {
        AtomicReference<SagaScope> body = new AtomicReference<>();
        List<SagaScope> seen = new ArrayList<>();
        Calls starts = new Calls();

        executor.execute(Reversible.gen(saga -> {
            body.set(saga);
            saga.run(ParentStep.of(calls, "p", () -> {
                SagaScope scope = executor.currentScope();
                seen.add(scope);
                scope.run(ParentStep.of(calls, "c", () -> seen.add(executor.currentScope())).recordingStartsIn(starts));
                seen.add(executor.currentScope());
            }).recordingStartsIn(starts));
            seen.add(executor.currentScope());
            return null;
        }));

        assertThat(seen).hasSize(4);
        assertThat(seen.get(0)).isNotNull().isNotSameAs(body.get());
        assertThat(seen.get(1)).isNotNull().isNotSameAs(seen.get(0)).isNotSameAs(body.get());
        assertThat(seen.get(2)).isSameAs(seen.get(0));
        assertThat(seen.get(3)).isSameAs(body.get());
        assertThat(seen.get(0).saga()).isSameAs(body.get().saga());
        assertThat(starts.list()).containsExactly("p 0 -1", "c 1 0");
    }

    @Test
    void isNullInsideACompensationAndASagaStartedThereIsASagaOfItsOwn() {
        RecordingListener listener = new RecordingListener();
        SagaExecutor listened = Reversible.executor().listener(listener).build();
        List<SagaScope> seen = new ArrayList<>();
        Action<String> undoing = new Action<>() {
            @Override
            public String forwards() {
                return "undoing";
            }

            @Override
            public void backwards() throws Exception {
                seen.add(listened.currentScope());
                listened.execute(Step.ok(calls, "inside compensation"));
                seen.add(listened.currentScope());
            }

            @Override
            public String name() {
                return "undoing";
            }
        };

        Throwable thrown = thrownBy(() -> listened.execute(Reversible.gen(saga -> {
            saga.run(undoing);
            saga.run(Step.ok(calls, "b"));
            throw failure;
        }).named("outer")));

        assertThat(thrown).isSameAs(failure);
        assertThat(seen).containsExactly(null, null);
        assertThat(calls.list()).containsExactly("b", "undo b", "inside compensation");
        assertThat(listener.events()).containsExactly(
                "sagaStarted outer",
                "stepCompleted undoing",
                "stepCompleted b",
                "compensationSucceeded b attempts=1",
                "sagaStarted inside compensation",
                "stepCompleted inside compensation",
                "sagaCompleted inside compensation",
                "compensationSucceeded undoing attempts=1",
                "sagaRolledBack outer");
        assertThat(listener.sagas().get(4)).isNotSameAs(listener.sagas().get(0));
    }

    @Test
    void isNullInsideAListenerCallbackAndASagaStartedThereIsASagaOfItsOwn() throws Exception {
        List<SagaScope> seen = new ArrayList<>();
        AtomicReference<SagaScope> body = new AtomicReference<>();
        AtomicReference<SagaExecutor> self = new AtomicReference<>();
        SagaExecutor listened = Reversible.executor().listener(new SagaListener() {
            @Override
            public void stepCompleted(SagaInfo saga, String step, long nanos) {
                if (step.equals("a")) {
                    seen.add(self.get().currentScope());
                    try {
                        self.get().execute(Step.ok(calls, "from listener"));
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                    seen.add(self.get().currentScope());
                }
            }
        }).build();
        self.set(listened);

        Throwable thrown = thrownBy(() -> listened.execute(Reversible.gen(saga -> {
            body.set(saga);
            saga.run(Step.ok(calls, "a"));
            seen.add(listened.currentScope());
            throw failure;
        })));

        assertThat(thrown).isSameAs(failure);
        assertThat(seen).containsExactly(null, null, body.get());
        // the listener's saga is not a step of the observed one: the rollback never undoes it
        assertThat(calls.list()).containsExactly("a", "from listener", "undo a");
    }

    @Test
    void isNullAfterASagaSucceededOrFailedOnTheSameThread() throws Exception {
        executor.execute(Reversible.gen(saga -> saga.run(Step.ok(calls, "a"))));
        assertThat(executor.currentScope()).isNull();
        assertThat(boundHolder()).isNull();

        thrownBy(() -> executor.execute(Reversible.gen(saga -> saga.run(Step.ok(calls, "b").failing(failure)))));
        assertThat(executor.currentScope()).isNull();
        assertThat(boundHolder()).isNull();

        thrownBy(() -> executor.execute(ParentStep.of(calls, "p", () -> executor.currentScope().run(Step.ok(calls, "c"))).failing(failure)));
        assertThat(executor.currentScope()).isNull();
        assertThat(boundHolder()).isNull();
    }

    @Test
    void isNullAfterASagaStartedInsideAnotherSagasStepAndTheOuterScopeIsBoundAgain() throws Exception {
        SagaExecutor other = Reversible.executor().build();
        List<SagaScope> seen = new ArrayList<>();

        executor.execute(Reversible.gen(saga -> saga.run(ParentStep.of(calls, "p", () -> {
            SagaScope step = executor.currentScope();
            other.execute(Reversible.gen(inner -> {
                seen.add(other.currentScope());
                return inner.run(Step.ok(calls, "other"));
            }));
            seen.add(other.currentScope());
            seen.add(executor.currentScope());
            seen.add(step);
        }))));

        assertThat(seen.get(0)).isNotNull();
        assertThat(seen.get(1)).isNull();
        assertThat(seen.get(2)).isNotNull().isSameAs(seen.get(3));
    }

    @Test
    void isNullAfterAnAsyncSagaAndInsideItsStepsForwardsIsTheStepsScope() throws Exception {
        List<SagaScope> seen = new ArrayList<>();

        executor.executeAsync(Reversible.genAsync(scope -> scope.run(AsyncParentStep.of(calls, "p",
                () -> seen.add(executor.currentScope()))))).get(5, TimeUnit.SECONDS);
        thrownBy(() -> executor.executeAsync(Reversible.genAsync(scope -> scope.run(AsyncParentStep.leaf(calls, "f").failing(failure))))
                .get(5, TimeUnit.SECONDS));

        assertThat(seen).hasSize(1).doesNotContainNull();
        assertThat(calls.list()).containsExactly("p", "f", "undo f");
    }
}
