package dev.reversible.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Sagas and shared composites on several threads at once: each undoes exactly its own steps. */
class ConcurrentSagasTests {

    private static final int THREADS = 8;
    private static final int SAGAS_PER_THREAD = 200;

    private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

    @AfterEach
    void stopPool() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void sharedCompositeCalledDirectlyFromTwoThreadsAtOnceUndoesEachThreadsOwnCall() throws Exception {
        CyclicBarrier bothRunning = new CyclicBarrier(2);
        CyclicBarrier bothDone = new CyclicBarrier(2);
        ThreadLocal<Calls> callsOfThread = new ThreadLocal<>();
        CompositeAction<String> shared = Reversible.gen(saga -> {
            Calls calls = callsOfThread.get();
            String step = saga.run(Step.ok(calls, Thread.currentThread().getName()));
            bothRunning.await(10, TimeUnit.SECONDS);   // both calls are inside the body at once
            return step;
        });

        List<Future<List<String>>> results = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            results.add(pool.submit(() -> {
                Calls calls = new Calls();
                callsOfThread.set(calls);
                String name = shared.forwards();
                bothDone.await(10, TimeUnit.SECONDS);   // both calls completed before either is undone
                shared.backwards();
                shared.backwards();   // undone already: nothing left for this thread
                calls.add("returned " + name);
                return calls.list();
            }));
        }

        List<String> first = results.get(0).get(30, TimeUnit.SECONDS);
        List<String> second = results.get(1).get(30, TimeUnit.SECONDS);
        String one = first.get(0);
        String two = second.get(0);
        assertThat(one).isNotEqualTo(two);
        assertThat(first).containsExactly(one, "undo " + one, "returned " + one);
        assertThat(second).containsExactly(two, "undo " + two, "returned " + two);
    }

    @Test
    void sharedCompositeWhoseDirectCallFailedUndoesNothingOnBackwardsEvenAfterAnEarlierSuccess() throws Exception {
        Calls calls = new Calls();
        IOException failure = new IOException("failure");
        boolean[] fail = {false};
        CompositeAction<String> shared = Reversible.gen(saga -> {
            String step = saga.run(Step.ok(calls, fail[0] ? "second" : "first"));
            if (fail[0]) {
                throw failure;
            }
            return step;
        });

        shared.forwards();
        fail[0] = true;
        assertThat(Failures.thrownBy(shared::forwards)).isSameAs(failure);
        shared.backwards();

        assertThat(calls.list()).containsExactly("first", "second", "undo second");
    }

    @Test
    void backwardsOfACompositeNeverCalledDirectlyDoesNothing() throws Exception {
        Calls calls = new Calls();
        CompositeAction<String> composite = Reversible.gen(saga -> saga.run(Step.ok(calls, "a")));

        composite.backwards();
        Reversible.executor().build().execute(composite);
        composite.backwards();   // executed by an executor, not called directly: nothing of this thread's to undo

        assertThat(calls.list()).containsExactly("a");
    }

    @Test
    void withBodyKeepsTheNameAndTheRollbackRuleAroundAnotherBody() throws Exception {
        Calls calls = new Calls();
        IOException kept = new IOException("kept");
        RecordingListener listener = new RecordingListener();
        CompositeAction<String> settings = Reversible.<String>gen(saga -> "unused").named("placeOrder").rollbackOn(e -> e != kept);

        CompositeAction<Object> composite = settings.withBody(saga -> {
            saga.run(Step.ok(calls, "a"));
            throw kept;
        });

        assertThat(composite.name()).isEqualTo("placeOrder");
        assertThat(Failures.thrownBy(() -> Reversible.executor().listener(listener).build().execute(composite))).isSameAs(kept);
        assertThat(calls.list()).containsExactly("a");
        assertThat(listener.events()).containsExactly("sagaStarted placeOrder", "stepCompleted a", "sagaFailed placeOrder kept");
    }

    @Test
    void manySagasOnManyThreadsEachCompensateExactlyTheirOwnStepsInOrder() throws Exception {
        SagaExecutor executor = Reversible.executor().build();
        CyclicBarrier interleave = new CyclicBarrier(THREADS);
        List<Future<List<String>>> sagas = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            sagas.add(pool.submit(() -> {
                List<String> mismatches = new ArrayList<>();
                for (int i = 0; i < SAGAS_PER_THREAD; i++) {
                    String id = thread + "-" + i;
                    boolean failing = i % 2 == 1;
                    Calls calls = new Calls();
                    IOException failure = new IOException(id);
                    try {
                        executor.execute(Reversible.gen(saga -> {
                            saga.run(ParentStep.of(calls, "p" + id, () -> {
                                saga.run(Step.ok(calls, "c1-" + id));
                                // every thread's parent is running here at once: their children interleave
                                interleave.await(30, TimeUnit.SECONDS);
                                executor.currentScope().run(Step.ok(calls, "c2-" + id));
                            }));
                            if (failing) {
                                saga.run(Step.ok(calls, "f" + id).failing(failure));
                            }
                            return null;
                        }));
                        if (failing) {
                            mismatches.add(id + " did not fail");
                        }
                    } catch (IOException e) {
                        if (e != failure) {
                            mismatches.add(id + " failed with " + e);
                        }
                    }
                    List<String> expected = failing
                            ? List.of("p" + id, "c1-" + id, "c2-" + id, "f" + id,
                                    "undo f" + id, "undo c2-" + id, "undo c1-" + id, "undo p" + id)
                            : List.of("p" + id, "c1-" + id, "c2-" + id);
                    if (!calls.list().equals(expected)) {
                        mismatches.add(id + ": " + calls.list());
                    }
                    if (executor.currentScope() != null) {
                        mismatches.add(id + ": a scope is left bound");
                    }
                }
                return mismatches;
            }));
        }

        for (Future<List<String>> saga : sagas) {
            assertThat(saga.get(120, TimeUnit.SECONDS)).isEmpty();
        }
    }
}
