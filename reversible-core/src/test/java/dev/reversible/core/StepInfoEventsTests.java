package dev.reversible.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * Listener events carry the step as an object: the same {@link StepInfo} from a step's start to its
 * compensation, with its place (rule 14) — so a listener keeps per-step state without pairing events by name or
 * thread — while listeners that override only the name forms still receive them.
 */
class StepInfoEventsTests {

    /** Numbers each step object it meets, and writes every event with that number. */
    static final class Identities implements SagaListener {

        final Map<StepInfo, Integer> ids = Collections.synchronizedMap(new IdentityHashMap<>());
        final List<String> events = Collections.synchronizedList(new ArrayList<>());

        private String id(StepInfo step) {
            synchronized (ids) {
                return "s" + ids.computeIfAbsent(step, s -> ids.size());
            }
        }

        @Override
        public void stepStarted(SagaInfo saga, StepInfo step) {
            assertThat(step.saga()).isSameAs(saga);
            events.add("started " + id(step) + " " + step.name() + " #" + step.index() + " parent " + step.parentIndex());
        }

        @Override
        public void stepPending(SagaInfo saga, StepInfo step) {
            events.add("pending " + id(step));
        }

        @Override
        public void stepCompleted(SagaInfo saga, StepInfo step, long nanos) {
            events.add("completed " + id(step));
        }

        @Override
        public void stepFailed(SagaInfo saga, StepInfo step, long nanos, Throwable failure) {
            events.add("failed " + id(step));
        }

        @Override
        public void compensationStarted(SagaInfo saga, StepInfo step) {
            events.add("compensating " + id(step));
        }

        @Override
        public void compensationSucceeded(SagaInfo saga, StepInfo step, int attempts, long nanos) {
            events.add("compensated " + id(step) + " #" + step.index());
        }

        @Override
        public void compensationFailed(SagaInfo saga, StepInfo step, int attempts, long nanos, Throwable failure) {
            events.add("compensation failed " + id(step));
        }
    }

    private static Action<String> step(String name) {
        return Reversible.<String>action(context -> name.toUpperCase(), context -> { }).named(name);
    }

    @Test
    void eachStepIsOneObjectFromItsStartToItsCompensationWithItsPlace() {
        Identities listener = new Identities();
        SagaExecutor executor = Reversible.executor().listener(listener).build();
        Action<String> parent = new Action<>() {
            @Override
            public String forwards() throws Exception {
                return executor.currentScope().run(step("child"));
            }

            @Override
            public void backwards() {
            }

            @Override
            public String name() {
                return "parent";
            }
        };

        Throwable thrown = catchThrowable(() -> executor.execute(Reversible.gen(scope -> {
            scope.run(step("a"));
            scope.run(parent);
            throw new IOException("body failed");
        })));

        assertThat(thrown).hasMessage("body failed");
        assertThat(listener.events).containsExactly(
                "started s0 a #0 parent -1", "completed s0",
                "started s1 parent #1 parent -1", "started s2 child #2 parent 1", "completed s2", "completed s1",
                "compensating s2", "compensated s2 #2",
                "compensating s1", "compensated s1 #1",
                "compensating s0", "compensated s0 #0");
        assertThat(listener.ids).hasSize(3);
    }

    /**
     * A listener may key a hash map by the step object itself, as the starter's do: the same step finds its
     * entry at every later event, and no two steps share one.
     */
    @Test
    void aStepIsAKeyOfItsOwnInAnOrdinaryHashMap() {
        Map<StepInfo, String> running = new java.util.concurrent.ConcurrentHashMap<>();
        Map<String, Integer> hashes = new java.util.concurrent.ConcurrentHashMap<>();
        List<String> ended = Collections.synchronizedList(new ArrayList<>());
        SagaListener listener = new SagaListener() {
            @Override
            public void stepStarted(SagaInfo saga, StepInfo step) {
                assertThat(running.put(step, step.name())).isNull();
                hashes.put(step.name(), step.hashCode());
            }

            @Override
            public void stepCompleted(SagaInfo saga, StepInfo step, long nanos) {
                ended.add("completed " + running.get(step));
            }

            @Override
            public void compensationSucceeded(SagaInfo saga, StepInfo step, int attempts, long nanos) {
                assertThat(step.hashCode()).isEqualTo(hashes.get(step.name()));
                ended.add("compensated " + running.remove(step));
            }
        };
        SagaExecutor executor = Reversible.executor().listener(listener).build();

        catchThrowable(() -> executor.execute(Reversible.gen(scope -> {
            scope.run(step("a"));
            scope.run(step("b"));
            scope.run(step("c"));
            throw new IOException("body failed");
        })));

        assertThat(ended).containsExactly("completed a", "completed b", "completed c", "compensated c", "compensated b",
                "compensated a");
        assertThat(running).isEmpty();
        // Spread over the hash table: three steps, three hash codes (drawn at random, each kept for life).
        assertThat(new java.util.HashSet<>(hashes.values())).hasSize(3);
    }

    @Test
    void aFailedStepIsTheSameObjectInItsFailureAndItsOwnCompensation() {
        Identities listener = new Identities();
        SagaExecutor executor = Reversible.executor().listener(listener).build();
        Action<String> failing = Reversible.<String>action(context -> {
            throw new IllegalStateException("no");
        }, context -> { }).named("failing");

        catchThrowable(() -> executor.execute(failing));

        assertThat(listener.events).containsExactly("started s0 failing #0 parent -1", "failed s0", "compensating s0",
                "compensated s0 #0");
    }

    @Test
    void anAsynchronousStepIsTheSameObjectOnWhicheverThreadItEnds() throws Exception {
        Identities listener = new Identities();
        SagaExecutor executor = Reversible.executor().listener(listener).build();
        CompletableFuture<String> later = new CompletableFuture<>();
        AsyncAction<String> async = new AsyncAction<>() {
            @Override
            public CompletionStage<String> forwards() {
                return later;
            }

            @Override
            public CompletionStage<?> backwards() {
                return null;
            }

            @Override
            public String name() {
                return "async";
            }
        };

        CompletableFuture<String> saga = executor.executeAsync(async);
        Thread completer = new Thread(() -> later.complete("done"));
        completer.start();
        completer.join();

        assertThat(saga.get(10, TimeUnit.SECONDS)).isEqualTo("done");
        assertThat(listener.events).containsExactly("started s0 async #0 parent -1", "pending s0", "completed s0");
    }

    @Test
    void aSagaRolledBackFromItsRecordShowsItsStepsAtTheirRecordedPlaces() {
        Identities listener = new Identities();
        SagaExecutor executor = Reversible.executor().listener(listener).build();

        executor.rollBack(RecordedSaga.builder("s-1", "recovered").step(0, -1, step("a")).step(3, 0, step("d")).build());

        assertThat(listener.events).containsExactly("compensating s0", "compensated s0 #3", "compensating s1", "compensated s1 #0");
    }

    @Test
    void durationsAreTheTimeEachPartTook() throws Exception {
        List<Long> nanos = new ArrayList<>();
        SagaExecutor executor = Reversible.executor().listener(new SagaListener() {
            @Override
            public void stepCompleted(SagaInfo saga, StepInfo step, long took) {
                nanos.add(took);
            }

            @Override
            public void sagaCompleted(SagaInfo saga, long took) {
                nanos.add(took);
            }
        }).build();
        long before = System.nanoTime();

        executor.execute(Reversible.gen(scope -> scope.run(step("timed"))));

        long bound = System.nanoTime() - before;
        assertThat(nanos).hasSize(2).allSatisfy(took -> assertThat(took).isBetween(0L, bound));
    }

    @Test
    void aListenerOfNamesOnlyStillHearsEveryStepEvent() throws Exception {
        List<String> names = new ArrayList<>();
        SagaExecutor executor = Reversible.executor().listener(new SagaListener() {
            @Override
            public void stepStarted(SagaInfo saga, String step, int index, int parentIndex) {
                names.add("started " + step + " #" + index);
            }

            @Override
            public void stepCompleted(SagaInfo saga, String step, long nanos) {
                names.add("completed " + step);
            }
        }).build();

        executor.execute(Reversible.gen(scope -> scope.run(step("only"))));

        assertThat(names).containsExactly("started only #0", "completed only");
    }
}
