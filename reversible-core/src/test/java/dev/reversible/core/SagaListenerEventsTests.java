package dev.reversible.core;

import static dev.reversible.core.Failures.failureOf;
import static dev.reversible.core.Failures.thrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

/** Listener events, their order and names, the {@link RollbackReport}, and rule 11. */
class SagaListenerEventsTests {

    private final Calls calls = new Calls();
    private final RecordingListener listener = new RecordingListener();
    private final SagaExecutor executor = Reversible.executor().listener(listener).build();
    private final IOException original = new IOException("original");

    @Test
    void successfulSagaSendsStartedStepCompletedPerLeafThenCompleted() throws Exception {
        executor.execute(Reversible.gen(saga -> {
            saga.run(Step.ok(calls, "a"));
            saga.run(Reversible.gen(inner -> inner.run(Step.ok(calls, "b"))).named("inner"));
            return saga.run(Step.ok(calls, "c"));
        }).named("placeOrder"));

        assertThat(listener.events()).containsExactly(
                "sagaStarted placeOrder",
                "stepCompleted a",
                "stepCompleted b",
                "stepCompleted c",
                "sagaCompleted placeOrder");
        assertThat(listener.reports()).isEmpty();
    }

    @Test
    void failedSagaSendsStepFailedThenEveryCompensationInRollbackOrderThenRolledBack() {
        thrownBy(() -> executor.execute(Reversible.gen(saga -> {
            saga.run(Step.ok(calls, "a"));
            saga.run(Step.ok(calls, "b"));
            saga.run(Step.ok(calls, "c").failing(original));
            return null;
        }).named("placeOrder")));

        assertThat(listener.events()).containsExactly(
                "sagaStarted placeOrder",
                "stepCompleted a",
                "stepCompleted b",
                "stepFailed c original",
                "compensationSucceeded c attempts=1",
                "compensationSucceeded b attempts=1",
                "compensationSucceeded a attempts=1",
                "sagaRolledBack placeOrder");
        RollbackReport report = listener.reports().get(0);
        assertThat(report.failedStep()).isEqualTo("c");
        assertThat(report.failure()).isSameAs(original);
        assertThat(report.compensated()).containsExactly("c", "b", "a");
        assertThat(report.failedCompensations()).isEmpty();
        assertThat(report.pending()).isEmpty();
        assertThat(report.isComplete()).isTrue();
        assertThat(listener.failures()).containsExactly(original);
    }

    @Test
    void bodyFailureOutsideAnyStepHasNoFailedStepInTheReport() {
        thrownBy(() -> executor.execute(Reversible.gen(saga -> {
            saga.run(Step.ok(calls, "a"));
            throw original;
        })));

        RollbackReport report = listener.reports().get(0);
        assertThat(report.failedStep()).isNull();
        assertThat(report.failure()).isSameAs(original);
        assertThat(report.compensated()).containsExactly("a");
    }

    @Test
    void handledStepFailureIsNotNamedAsTheFailedStepOfALaterRollback() {
        thrownBy(() -> executor.execute(Reversible.gen(saga -> {
            saga.run(Step.ok(calls, "a"));
            try {
                saga.run(Step.ok(calls, "b").failing(new IllegalStateException("handled")));
            } catch (IllegalStateException handled) {
                // carry on
            }
            throw original;
        })));

        assertThat(listener.events()).containsExactly(
                "sagaStarted saga",
                "stepCompleted a",
                "stepFailed b handled",
                "compensationSucceeded b attempts=1",
                "compensationSucceeded a attempts=1",
                "sagaRolledBack saga");
        RollbackReport report = listener.reports().get(0);
        assertThat(report.failedStep()).isNull();
        assertThat(report.failure()).isSameAs(original);
        assertThat(report.compensated()).containsExactly("b", "a");
    }

    @Test
    void incompleteRollbackIsReportedWithFailedCompensationsAndPending() {
        IllegalStateException undoB = new IllegalStateException("undo b failed");

        thrownBy(() -> executor.execute(Reversible.gen(saga -> {
            saga.run(Step.ok(calls, "a"));
            saga.run(Step.ok(calls, "b").compensationFailing(undoB));
            saga.run(Step.ok(calls, "c").failing(original));
            return null;
        }).named("placeOrder")));

        assertThat(listener.events()).containsExactly(
                "sagaStarted placeOrder",
                "stepCompleted a",
                "stepCompleted b",
                "stepFailed c original",
                "compensationSucceeded c attempts=1",
                "compensationFailed b attempts=1 undo b failed",
                "sagaRolledBack placeOrder");
        RollbackReport report = listener.reports().get(0);
        assertThat(report.failedStep()).isEqualTo("c");
        assertThat(report.failure()).isSameAs(original);
        assertThat(report.compensated()).containsExactly("c");
        assertThat(report.failedCompensations()).containsExactly("b");
        assertThat(report.pending()).containsExactly("b", "a");
        assertThat(report.isComplete()).isFalse();
    }

    @Test
    void failedStepWhoseOwnCompensationFailsIsTheFailedStepAndTheFirstPending() {
        IllegalStateException undoC = new IllegalStateException("undo c failed");

        thrownBy(() -> executor.execute(Reversible.gen(saga -> {
            saga.run(Step.ok(calls, "a"));
            saga.run(Step.ok(calls, "b"));
            saga.run(Step.ok(calls, "c").failing(original).compensationFailing(undoC));
            return null;
        })));

        assertThat(listener.events()).containsExactly(
                "sagaStarted saga",
                "stepCompleted a",
                "stepCompleted b",
                "stepFailed c original",
                "compensationFailed c attempts=1 undo c failed",
                "sagaRolledBack saga");
        RollbackReport report = listener.reports().get(0);
        assertThat(report.failedStep()).isEqualTo("c");
        assertThat(report.failure()).isSameAs(original);
        assertThat(report.compensated()).isEmpty();
        assertThat(report.failedCompensations()).containsExactly("c");
        assertThat(report.pending()).containsExactly("c", "b", "a");
        assertThat(listener.failures()).containsExactly(original, undoC);
    }

    @Test
    void retriedCompensationReportsHowManyAttemptsItTook() {
        SagaExecutor retrying = Reversible.executor().listener(listener).compensationRetry(3, Duration.ofMillis(1)).build();

        thrownBy(() -> retrying.execute(Reversible.gen(saga -> {
            saga.run(Step.ok(calls, "a").compensationFailingFirst(new IllegalStateException("1"), new IllegalStateException("2")));
            saga.run(Step.ok(calls, "b").compensationFailing(new IllegalStateException("always")));
            throw original;
        })));

        assertThat(listener.events()).containsExactly(
                "sagaStarted saga",
                "stepCompleted a",
                "stepCompleted b",
                "compensationFailed b attempts=3 always",
                "sagaRolledBack saga");

        SagaExecutor continuing = Reversible.executor().listener(listener).rollbackPolicy(RollbackPolicy.CONTINUE)
                .compensationRetry(3, Duration.ofMillis(1)).build();
        thrownBy(() -> continuing.execute(Reversible.gen(saga -> {
            saga.run(Step.ok(calls, "x").compensationFailingFirst(new IllegalStateException("1"), new IllegalStateException("2")));
            throw original;
        })));
        assertThat(listener.events()).endsWith("compensationSucceeded x attempts=3", "sagaRolledBack saga");
    }

    @Test
    void rejectedFailureIsReportedAsSagaFailedNotRolledBack() {
        thrownBy(() -> executor.execute(Reversible.<Void>gen(saga -> {
            saga.run(Step.ok(calls, "a"));
            saga.run(Step.ok(calls, "b").failing(original));
            return null;
        }).named("keeper").rollbackOn(e -> false)));

        assertThat(listener.events()).containsExactly(
                "sagaStarted keeper",
                "stepCompleted a",
                "stepFailed b original",
                "compensationSucceeded b attempts=1",
                "sagaFailed keeper original");
        assertThat(listener.reports()).isEmpty();
    }

    @Test
    void singleActionIsASagaOfOneStepNamedAfterTheAction() {
        thrownBy(() -> executor.execute(Step.ok(calls, "charge").failing(original)));

        assertThat(listener.events()).containsExactly(
                "sagaStarted charge",
                "stepFailed charge original",
                "compensationSucceeded charge attempts=1",
                "sagaRolledBack charge");
        assertThat(listener.reports().get(0).failedStep()).isEqualTo("charge");
    }

    @Test
    void everyEventOfOneSagaCarriesTheSameSagaInfoAndEachExecutionHasItsOwnId() throws Exception {
        List<SagaInfo> seenByBody = new ArrayList<>();
        CompositeAction<Void> composite = Reversible.<Void>gen(saga -> {
            seenByBody.add(saga.saga());
            saga.run(Step.ok(calls, "a"));
            return null;
        }).named("order");

        executor.execute(composite);
        executor.execute(composite);

        List<SagaInfo> infos = listener.sagas();
        assertThat(infos).hasSize(6);
        assertThat(infos.subList(0, 3)).allSatisfy(info -> assertThat(info).isSameAs(seenByBody.get(0)));
        assertThat(infos.subList(3, 6)).allSatisfy(info -> assertThat(info).isSameAs(seenByBody.get(1)));
        assertThat(seenByBody.get(0).name()).isEqualTo("order");
        assertThat(seenByBody.get(0).id()).isNotEqualTo(seenByBody.get(1).id());
        assertThat(seenByBody.get(0).toString()).contains("order").contains(seenByBody.get(0).id());
    }

    @Test
    void idsAreUniqueAcrossManySagas() throws Exception {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            executor.execute(Reversible.gen(saga -> ids.add(saga.saga().id())));
        }
        assertThat(ids).hasSize(1_000);
    }

    @Test
    void listenersReceiveEveryEventInTheOrderTheyWereAdded() throws Exception {
        List<String> order = new ArrayList<>();
        SagaExecutor twoListeners = Reversible.executor()
                .listener(new SagaListener() {
                    @Override
                    public void stepCompleted(SagaInfo saga, String step, long nanos) {
                        order.add("first " + step);
                    }
                })
                .listener(new SagaListener() {
                    @Override
                    public void stepCompleted(SagaInfo saga, String step, long nanos) {
                        order.add("second " + step);
                    }
                })
                .build();

        twoListeners.execute(Reversible.gen(saga -> saga.run(Step.ok(calls, "a")) + saga.run(Step.ok(calls, "b"))));

        assertThat(order).containsExactly("first a", "second a", "first b", "second b");
    }

    @Test
    void durationsAreNotNegative() throws Exception {
        List<Long> durations = new ArrayList<>();
        SagaExecutor timed = Reversible.executor().listener(new SagaListener() {
            @Override
            public void stepCompleted(SagaInfo saga, String step, long nanos) {
                durations.add(nanos);
            }

            @Override
            public void sagaCompleted(SagaInfo saga, long nanos) {
                durations.add(nanos);
            }
        }).build();

        timed.execute(Reversible.gen(saga -> saga.run(Step.ok(calls, "a"))));

        assertThat(durations).hasSize(2).allSatisfy(nanos -> assertThat(nanos).isNotNegative());
    }

    @Test
    void stepsAreTimedWhenAListenerReadsTheirDurations() throws Exception {
        DurationListener reads = new DurationListener(true);
        SagaExecutor timed = Reversible.executor().listener(reads).build();

        thrownBy(() -> timed.execute(Reversible.gen(saga -> {
            saga.run(Reversible.action(context -> ticks(), context -> { }));
            return saga.run(Reversible.action(context -> {
                ticks();
                throw original;
            }, context -> { }));
        })));
        timed.executeAsync(Reversible.genAsync(saga -> saga.run(Reversible.action(context -> ticks(), context -> { })))).join();

        assertThat(reads.steps).as("completed, failed, completed (async saga)").hasSize(3).allSatisfy(nanos -> assertThat(nanos).isPositive());
        assertThat(reads.sagas).hasSize(2).allSatisfy(nanos -> assertThat(nanos).isPositive());
    }

    @Test
    void noClockIsReadForStepsWhenNoListenerReadsTheirDurations() throws Exception {
        DurationListener counts = new DurationListener(false);
        List<Long> sagas = new ArrayList<>();
        SagaListener sagasOnly = new SagaListener() {
            @Override
            public void sagaCompleted(SagaInfo saga, long nanos) {
                sagas.add(nanos);
            }

            @Override
            public boolean ignoresStepDurations() {
                return true;
            }
        };
        SagaExecutor untimed = Reversible.executor().listener(counts).listener(sagasOnly).build();

        untimed.execute(Reversible.gen(saga -> saga.run(Reversible.action(context -> ticks(), context -> { }))));
        thrownBy(() -> untimed.execute(Reversible.gen(saga -> saga.run(Reversible.action(context -> {
            ticks();
            throw original;
        }, context -> { })))));
        untimed.executeAsync(Reversible.genAsync(saga -> saga.run(Reversible.action(context -> ticks(), context -> { })))).join();

        assertThat(counts.steps).as("completed, failed, completed (async saga)").containsExactly(0L, 0L, 0L);
        assertThat(counts.sagas).as("sagas are always timed").hasSize(3).allSatisfy(nanos -> assertThat(nanos).isPositive());
        assertThat(sagas).hasSize(2).allSatisfy(nanos -> assertThat(nanos).isPositive());
    }

    @Test
    void aListenerReadsStepDurationsUnlessItSaysOtherwise() throws Exception {
        List<Long> durations = new ArrayList<>();
        SagaListener byDefault = new SagaListener() {
            @Override
            public void stepCompleted(SagaInfo saga, String step, long nanos) {
                durations.add(nanos);
            }
        };
        SagaExecutor timed = Reversible.executor().listener(byDefault).build();

        timed.execute(Reversible.gen(saga -> saga.run(Reversible.action(context -> ticks(), context -> { }))));

        assertThat(byDefault.ignoresStepDurations()).isFalse();
        assertThat(durations).singleElement().satisfies(nanos -> assertThat(nanos).isPositive());
    }

    @Test
    void oneListenerThatReadsStepDurationsTimesTheStepsForAll() throws Exception {
        DurationListener counts = new DurationListener(false);
        DurationListener reads = new DurationListener(true);
        SagaExecutor timed = Reversible.executor().listener(counts).listener(reads).build();

        timed.execute(Reversible.gen(saga -> saga.run(Reversible.action(context -> ticks(), context -> { }))));

        assertThat(reads.steps).singleElement().satisfies(nanos -> assertThat(nanos).isPositive());
        assertThat(counts.steps).isEqualTo(reads.steps);
    }

    @Test
    void eachFormOfAStepEventReachesTheListenerThatOverridesIt() throws Exception {
        List<String> heard = new ArrayList<>();
        SagaListener byInfo = new SagaListener() {
            @Override
            public void stepStarted(SagaInfo saga, StepInfo step) {
                heard.add("info " + step.name() + " " + step.index());
            }

            @Override
            public void stepFailed(SagaInfo saga, StepInfo step, long nanos, Throwable failure) {
                heard.add("info failed " + step.name());
            }
        };
        SagaListener byPlace = new SagaListener() {
            @Override
            public void stepStarted(SagaInfo saga, String step, int index, int parentIndex) {
                heard.add("place " + step + " " + index + " " + parentIndex);
            }

            @Override
            public void stepPending(SagaInfo saga, String step) {
                heard.add("pending " + step);
            }
        };
        SagaListener byName = new SagaListener() {
            @Override
            public void stepStarted(SagaInfo saga, String step) {
                heard.add("name " + step);
            }

            @Override
            public void stepFailed(SagaInfo saga, String step, long nanos, Throwable failure) {
                heard.add("name failed " + step);
            }
        };
        SagaListener deaf = new SagaListener() {
        };
        SagaExecutor listened = Reversible.executor().listener(byInfo).listener(deaf).listener(byPlace).listener(byName).build();

        thrownBy(() -> listened.execute(Reversible.gen(saga -> saga.run(Step.ok(calls, "a").failing(original)))));
        listened.executeAsync(Reversible.genAsync(saga -> saga.run(AsyncStep.ok(calls, "b")))).join();

        assertThat(heard).containsExactly("info a 0", "place a 0 -1", "name a", "info failed a", "name failed a",
                "info b 0", "place b 0 -1", "name b", "pending b");
    }

    @Test
    void aListenerThatIgnoresStepEventsHearsSagasAndCompensationsOnly() throws Exception {
        List<String> heard = new ArrayList<>();
        SagaListener rollbacksOnly = new EveryEventListener(heard) {
            @Override
            public boolean ignoresStepEvents() {
                return true;
            }
        };
        SagaExecutor listened = Reversible.executor().listener(rollbacksOnly).listener(listener).build();

        thrownBy(() -> listened.execute(Reversible.gen(saga -> {
            saga.run(Step.ok(calls, "a"));
            return saga.run(Step.ok(calls, "b").failing(original));
        }).named("sync")));
        thrownBy(() -> listened.executeAsync(Reversible.genAsync(saga -> saga.run(AsyncStep.ok(calls, "c"))
                .thenCompose(c -> saga.run(AsyncStep.ok(calls, "d").failing(original)))).named("async")).join());

        assertThat(heard).containsExactly("sagaStarted sync", "compensationStarted b", "compensationSucceeded b",
                "compensationStarted a", "compensationSucceeded a", "sagaRolledBack sync",
                "sagaStarted async", "compensationStarted d", "compensationPending d", "compensationSucceeded d",
                "compensationStarted c", "compensationPending c", "compensationSucceeded c", "sagaRolledBack async");
        assertThat(listener.events()).as("a listener beside it hears the steps").containsSubsequence(
                "stepCompleted a", "stepFailed b original", "stepCompleted c", "stepFailed d original");
    }

    @Test
    void stepsAreNotTimedForAListenerThatIgnoresTheirEvents() throws Exception {
        DurationListener counts = new DurationListener(false);
        DurationListener deaf = new DurationListener(true) {
            @Override
            public boolean ignoresStepEvents() {
                return true;
            }
        };
        SagaExecutor untimed = Reversible.executor().listener(counts).listener(deaf).build();

        untimed.execute(Reversible.gen(saga -> saga.run(Reversible.action(context -> ticks(), context -> { }))));

        assertThat(counts.steps).containsExactly(0L);
        assertThat(deaf.steps).isEmpty();
        assertThat(deaf.sagas).singleElement().satisfies(nanos -> assertThat(nanos).isPositive());
    }

    @Test
    void aListenerHearsStepEventsUnlessItSaysOtherwiseOrCannotSay() throws Exception {
        List<String> heard = new ArrayList<>();
        SagaListener byDefault = new EveryEventListener(heard);
        SagaListener cannotSay = new EveryEventListener(heard) {
            @Override
            public boolean ignoresStepEvents() {
                throw new IllegalStateException("cannot say");
            }
        };
        SagaExecutor listened = Reversible.executor().listener(byDefault).listener(cannotSay).build();

        listened.execute(Reversible.gen(saga -> saga.run(Step.ok(calls, "a"))).named("saga"));

        assertThat(byDefault.ignoresStepEvents()).isFalse();
        assertThat(heard).containsExactly("sagaStarted saga", "sagaStarted saga", "stepStarted a", "stepStarted a",
                "stepCompleted a", "stepCompleted a", "sagaCompleted saga", "sagaCompleted saga");
    }

    /** Runs until the clock has moved, so that a measured step took at least a nanosecond. */
    private static String ticks() {
        long start = System.nanoTime();
        while (System.nanoTime() == start) {
            Thread.onSpinWait();
        }
        return "done";
    }

    /** Writes down every event it hears (each in the form the executor calls), with the step's name. */
    private static class EveryEventListener implements SagaListener {
        private final List<String> heard;

        EveryEventListener(List<String> heard) {
            this.heard = heard;
        }

        private synchronized void add(String event) {
            heard.add(event);
        }

        @Override
        public void sagaStarted(SagaInfo saga) {
            add("sagaStarted " + saga.name());
        }

        @Override
        public void stepStarted(SagaInfo saga, StepInfo step) {
            add("stepStarted " + step.name());
        }

        @Override
        public void stepPending(SagaInfo saga, StepInfo step) {
            add("stepPending " + step.name());
        }

        @Override
        public void stepCompleted(SagaInfo saga, StepInfo step, long nanos) {
            add("stepCompleted " + step.name());
        }

        @Override
        public void stepFailed(SagaInfo saga, StepInfo step, long nanos, Throwable failure) {
            add("stepFailed " + step.name());
        }

        @Override
        public void compensationStarted(SagaInfo saga, StepInfo step) {
            add("compensationStarted " + step.name());
        }

        @Override
        public void compensationPending(SagaInfo saga, StepInfo step) {
            add("compensationPending " + step.name());
        }

        @Override
        public void compensationSucceeded(SagaInfo saga, StepInfo step, int attempts, long nanos) {
            add("compensationSucceeded " + step.name());
        }

        @Override
        public void compensationFailed(SagaInfo saga, StepInfo step, int attempts, long nanos, Throwable failure) {
            add("compensationFailed " + step.name());
        }

        @Override
        public void sagaCompleted(SagaInfo saga, long nanos) {
            add("sagaCompleted " + saga.name());
        }

        @Override
        public void sagaRolledBack(SagaInfo saga, long nanos, RollbackReport report) {
            add("sagaRolledBack " + saga.name());
        }
    }

    /** Keeps the durations of step ends (in the {@link StepInfo} form) and of sagas' ends. */
    private static class DurationListener implements SagaListener {
        private final boolean readsStepDurations;
        final List<Long> steps = new ArrayList<>();
        final List<Long> sagas = new ArrayList<>();

        DurationListener(boolean readsStepDurations) {
            this.readsStepDurations = readsStepDurations;
        }

        @Override
        public boolean ignoresStepDurations() {
            return !readsStepDurations;
        }

        @Override
        public synchronized void stepCompleted(SagaInfo saga, StepInfo step, long nanos) {
            steps.add(nanos);
        }

        @Override
        public synchronized void stepFailed(SagaInfo saga, StepInfo step, long nanos, Throwable failure) {
            steps.add(nanos);
        }

        @Override
        public synchronized void sagaCompleted(SagaInfo saga, long nanos) {
            sagas.add(nanos);
        }

        @Override
        public synchronized void sagaRolledBack(SagaInfo saga, long nanos, RollbackReport report) {
            sagas.add(nanos);
        }
    }

    // ---- rule 11 --------------------------------------------------------------------------------

    /** Throws from every event. */
    private static final class ThrowingListener implements SagaListener {
        private final Throwable failure;

        ThrowingListener(Throwable failure) {
            this.failure = failure;
        }

        private void fail() {
            throw Failures.<RuntimeException>rethrow(failure);
        }

        @Override
        public void sagaStarted(SagaInfo saga) {
            fail();
        }

        @Override
        public void stepCompleted(SagaInfo saga, String step, long nanos) {
            fail();
        }

        @Override
        public void stepFailed(SagaInfo saga, String step, long nanos, Throwable failure) {
            fail();
        }

        @Override
        public void compensationSucceeded(SagaInfo saga, String step, int attempts, long nanos) {
            fail();
        }

        @Override
        public void compensationFailed(SagaInfo saga, String step, int attempts, long nanos, Throwable failure) {
            fail();
        }

        @Override
        public void sagaCompleted(SagaInfo saga, long nanos) {
            fail();
        }

        @Override
        public void sagaRolledBack(SagaInfo saga, long nanos, RollbackReport report) {
            fail();
        }

        @Override
        public void sagaFailed(SagaInfo saga, long nanos, Throwable failure) {
            fail();
        }
    }

    @Test
    void throwingListenerChangesNothingOnSuccess() throws Exception {
        SagaExecutor noisy = Reversible.executor()
                .listener(new ThrowingListener(new IllegalStateException("listener broke")))
                .listener(listener)
                .build();

        String result = noisy.execute(Reversible.gen(saga -> saga.run(Step.ok(calls, "a")) + saga.run(Step.ok(calls, "b"))));

        assertThat(result).isEqualTo("ab");
        assertThat(calls.list()).containsExactly("a", "b");
        assertThat(listener.events()).containsExactly(
                "sagaStarted saga", "stepCompleted a", "stepCompleted b", "sagaCompleted saga");
    }

    @Test
    void throwingListenerChangesNothingOnRollback() {
        IllegalStateException undoB = new IllegalStateException("undo b failed");
        for (Throwable listenerFailure : List.of(new IllegalStateException("listener broke"), new Exception("checked"),
                new AssertionError("error"))) {
            Calls quiet = new Calls();
            Calls loud = new Calls();
            SagaExecutor silent = Reversible.executor().compensationRetry(2, Duration.ZERO).build();
            SagaExecutor noisy = Reversible.executor().compensationRetry(2, Duration.ZERO)
                    .listener(new ThrowingListener(listenerFailure)).build();

            Throwable expected = thrownBy(() -> silent.execute(sagaWithEveryEvent(quiet, undoB)));
            Throwable actual = thrownBy(() -> noisy.execute(sagaWithEveryEvent(loud, undoB)));

            assertThat(loud.list()).isEqualTo(quiet.list()).containsExactly(
                    "a", "b", "c", "x", "undo x", "undo x", "d", "undo d", "undo c", "undo c", "undo b", "undo b");
            assertThat(actual).isInstanceOf(CompensationFailedException.class).hasCauseReference(original);
            assertThat(((CompensationFailedException) actual).pending())
                    .isEqualTo(((CompensationFailedException) expected).pending())
                    .containsExactly("b", "a");
            assertThat(((CompensationFailedException) actual).failures()).containsExactly(undoB);
        }
    }

    @Test
    void throwingListenerChangesNothingForARejectedFailureOrAnAsyncSaga() {
        SagaExecutor noisy = Reversible.executor().listener(new ThrowingListener(new IllegalStateException("x"))).build();

        Throwable rejected = thrownBy(() -> noisy.execute(Reversible.<Void>gen(saga -> {
            saga.run(Step.ok(calls, "a"));
            throw original;
        }).rollbackOn(e -> false)));
        CompletableFuture<String> async = noisy.executeAsync(Reversible.genAsync(saga -> saga.run(AsyncStep.ok(calls, "x"))
                .thenCompose(x -> CompletableFuture.<String>failedFuture(original))));

        assertThat(rejected).isSameAs(original);
        assertThat(failureOf(async)).isSameAs(original);
        assertThat(calls.list()).containsExactly("a", "x", "undo x");
    }

    /** Sends every kind of event: completed, failed, compensation succeeded, retried and failed. */
    private CompositeAction<Void> sagaWithEveryEvent(Calls log, Throwable undoB) {
        return Reversible.gen(saga -> {
            saga.run(Step.ok(log, "a"));
            saga.run(Step.ok(log, "b").compensationFailing(undoB));
            saga.run(Step.ok(log, "c").compensationFailingFirst(new IllegalStateException("once")));
            try {
                saga.run(Step.ok(log, "x").failing(new IOException("handled")).compensationFailing(new IllegalStateException("x")));
            } catch (CompensationFailedException handled) {
                // not this test's concern
            }
            saga.run(Step.ok(log, "d").failing(original));
            return null;
        });
    }

    // ---- async events ---------------------------------------------------------------------------

    @Test
    void asyncSagaSendsTheSameEventsInTheSameOrder() {
        CompletableFuture<String> future = executor.executeAsync(Reversible.genAsync(saga -> saga.run(AsyncStep.ok(calls, "a"))
                .thenCompose(x -> saga.run(Step.ok(calls, "b")))
                .thenCompose(x -> saga.run(AsyncStep.ok(calls, "c").failing(original)))).named("postComment"));

        assertThat(failureOf(future)).isSameAs(original);
        assertThat(listener.events()).containsExactly(
                "sagaStarted postComment",
                "stepCompleted a",
                "stepCompleted b",
                "stepFailed c original",
                "compensationSucceeded c attempts=1",
                "compensationSucceeded b attempts=1",
                "compensationSucceeded a attempts=1",
                "sagaRolledBack postComment");
        RollbackReport report = listener.reports().get(0);
        assertThat(report.failedStep()).isEqualTo("c");
        assertThat(report.compensated()).containsExactly("c", "b", "a");
    }

    @Test
    void successfulAsyncSagaSendsCompleted() {
        CompletableFuture<String> future = executor.executeAsync(Reversible.genAsync(saga -> saga.run(AsyncStep.ok(calls, "a")))
                .named("postComment"));

        assertThat(future.join()).isEqualTo("a");
        assertThat(listener.events()).containsExactly(
                "sagaStarted postComment", "stepCompleted a", "sagaCompleted postComment");
    }

    @Test
    void rejectedAsyncFailureIsReportedAsSagaFailed() {
        CompletableFuture<String> future = executor.executeAsync(Reversible.genAsync(saga -> saga.run(AsyncStep.ok(calls, "a"))
                .thenCompose(x -> CompletableFuture.<String>failedFuture(original))).named("post").rollbackOn(e -> false));

        assertThat(failureOf(future)).isSameAs(original);
        assertThat(listener.events()).containsExactly("sagaStarted post", "stepCompleted a", "sagaFailed post original");
        assertThat(calls.list()).containsExactly("a");
    }
}
