package dev.reversible.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * A saga rolled back from its record ({@link SagaExecutor#rollBack(RecordedSaga)}) behaves exactly like the same
 * saga rolled back live: one matrix of shapes, policies and retries runs both paths and compares what the
 * compensations did, the events the listeners saw and the report.
 */
class RecordedSagaRollbackTests {

    private static final IOException BODY_FAILED = new IOException("body failed");

    /** The shape both paths run: a0; p1 { c2, c3 { g4 } }; b5 — then the body fails. */
    private static final List<Shape> SHAPE = List.of(
            new Shape("a", -1), new Shape("p", -1), new Shape("c1", 1), new Shape("c2", 1), new Shape("g", 3), new Shape("b", -1));

    private record Shape(String name, int parent) {
    }

    /** What one path did: the compensations' calls, the compensation and saga events, and the report. */
    private record Outcome(List<String> calls, List<String> events, RollbackReport report) {
    }

    @ParameterizedTest
    @EnumSource(RollbackPolicy.class)
    void recordedRollbackUndoesChildrenBeforeParentsLatestFirstLikeALiveOne(RollbackPolicy policy) {
        Outcome live = live(policy, 1, Set.of());
        Outcome recorded = recorded(policy, 1, Set.of());

        assertThat(recorded.calls()).containsExactly("undo b", "undo g", "undo c2", "undo c1", "undo p", "undo a");
        assertThat(recorded.calls()).isEqualTo(live.calls());
        assertThat(recorded.events()).isEqualTo(live.events());
        assertThat(recorded.report().compensated()).containsExactly("b", "g", "c2", "c1", "p", "a");
        assertSameReport(recorded.report(), live.report());
    }

    @Test
    void abortStopsARecordedRollbackAtItsFirstFailedCompensationLikeALiveOne() {
        Outcome live = live(RollbackPolicy.ABORT, 1, Set.of("c2"));
        Outcome recorded = recorded(RollbackPolicy.ABORT, 1, Set.of("c2"));

        assertThat(recorded.calls()).containsExactly("undo b", "undo g", "undo c2");
        assertThat(recorded.report().pending()).containsExactly("c2", "c1", "p", "a");
        assertThat(recorded.report().failedCompensations()).containsExactly("c2");
        assertThat(recorded.report().isComplete()).isFalse();
        assertThat(recorded.calls()).isEqualTo(live.calls());
        assertThat(recorded.events()).isEqualTo(live.events());
        assertSameReport(recorded.report(), live.report());
    }

    @Test
    void continueRunsEveryRemainingCompensationOfARecordedRollbackLikeALiveOne() {
        Outcome live = live(RollbackPolicy.CONTINUE, 1, Set.of("c2", "p"));
        Outcome recorded = recorded(RollbackPolicy.CONTINUE, 1, Set.of("c2", "p"));

        assertThat(recorded.calls()).containsExactly("undo b", "undo g", "undo c2", "undo c1", "undo p", "undo a");
        assertThat(recorded.report().failedCompensations()).containsExactly("c2", "p");
        assertThat(recorded.report().pending()).containsExactly("c2", "p");
        assertThat(recorded.report().compensated()).containsExactly("b", "g", "c1", "a");
        assertThat(recorded.calls()).isEqualTo(live.calls());
        assertThat(recorded.events()).isEqualTo(live.events());
        assertSameReport(recorded.report(), live.report());
    }

    @Test
    void recordedCompensationGetsTheExecutorsRetriesLikeALiveOne() {
        Outcome live = live(RollbackPolicy.ABORT, 3, Set.of("g"));
        Outcome recorded = recorded(RollbackPolicy.ABORT, 3, Set.of("g"));

        assertThat(recorded.calls()).containsExactly("undo b", "undo g", "undo g", "undo g");
        assertThat(recorded.events()).contains("compensationFailed g attempts=3 undo g failed");
        assertThat(recorded.calls()).isEqualTo(live.calls());
        assertThat(recorded.events()).isEqualTo(live.events());
        assertSameReport(recorded.report(), live.report());
    }

    @Test
    void attemptAwareRecordedStepLearnsEachAttempt() {
        List<Integer> attempts = new ArrayList<>();
        SagaExecutor executor = Reversible.executor().compensationRetry(3, Duration.ZERO).build();
        AttemptAwareAction<Void> refund = new AttemptAwareAction<>() {
            @Override
            public Void forwards() {
                throw new UnsupportedOperationException("a recorded step never runs forwards");
            }

            @Override
            public void backwards(int attempt) throws Exception {
                attempts.add(attempt);
                if (attempt < 3) {
                    throw new IOException("refund failed " + attempt);
                }
            }
        };

        RollbackReport report = executor.rollBack(RecordedSaga.builder("s-1", "order").step(0, -1, refund).build());

        assertThat(attempts).containsExactly(1, 2, 3);
        assertThat(report.isComplete()).isTrue();
    }

    @Test
    void listenersSeeTheRecordedSagasOwnIdNameAndFailedStep() {
        RecordingListener listener = new RecordingListener();
        SagaExecutor executor = Reversible.executor().listener(listener).build();
        Calls calls = new Calls();
        IOException recovered = new IOException("its instance stopped");

        RollbackReport report = executor.rollBack(RecordedSaga.builder("abc-42", "placeOrder")
                .failure(recovered, "charge")
                .step(0, -1, Step.ok(calls, "reserve"))
                .build());

        assertThat(listener.sagas()).extracting(SagaInfo::id).containsOnly("abc-42");
        assertThat(listener.sagas()).extracting(SagaInfo::name).containsOnly("placeOrder");
        assertThat(listener.events()).containsExactly("sagaStarted placeOrder", "compensationSucceeded reserve attempts=1",
                "sagaRolledBack placeOrder");
        assertThat(listener.reports()).containsExactly(report);
        assertThat(report.failedStep()).isEqualTo("charge");
        assertThat(report.failure()).isSameAs(recovered);
        assertThat(report.compensated()).containsExactly("reserve");
    }

    @Test
    void aCompensatedStepRunsNothingButItsChildrenAreStillUndoneBeforeTheStepsBeforeIt() {
        Calls calls = new Calls();

        RollbackReport report = Reversible.executor().build().rollBack(RecordedSaga.builder("s", "saga")
                .step(0, -1, Step.ok(calls, "a"))
                .compensatedStep(1, -1)
                .step(2, 1, Step.ok(calls, "child"))
                .build());

        assertThat(calls.list()).containsExactly("undo child", "undo a");
        assertThat(report.compensated()).containsExactly("child", "a");
    }

    @Test
    void aSiblingThatStartedBetweenAParentAndItsChildIsUndoneBeforeTheParentsSubtree() {
        // Concurrent asynchronous steps: p started, then s (a sibling), then p's child c. The live engine undoes the
        // latest sibling first, then p's children, then p.
        Calls calls = new Calls();

        Reversible.executor().build().rollBack(RecordedSaga.builder("s", "saga")
                .step(2, 0, Step.ok(calls, "c"))
                .step(1, -1, Step.ok(calls, "s"))
                .step(0, -1, Step.ok(calls, "p"))
                .build());

        assertThat(calls.list()).containsExactly("undo s", "undo c", "undo p");
    }

    @Test
    void stepUndoneByItsTransactionIsReportedNotCompensated() {
        Calls calls = new Calls();
        RecordingListener listener = new RecordingListener();
        ParentStep undone = ParentStep.of(calls, "insert", () -> { }).undoneByItsTransaction();

        RollbackReport report = Reversible.executor().listener(listener).build().rollBack(RecordedSaga.builder("s", "saga")
                .step(0, -1, Step.ok(calls, "a"))
                .step(1, -1, undone)
                .build());

        assertThat(calls.list()).containsExactly("undo a");
        assertThat(report.undoneByTransaction()).containsExactly("insert");
        assertThat(report.compensated()).containsExactly("a");
        assertThat(listener.events()).contains("stepUndoneByTransaction insert");
    }

    @Test
    void asynchronousRecordedStepIsAwaitedBeforeTheNextCompensationStarts() {
        Calls calls = new Calls();
        CompletableFuture<Void> refunded = new CompletableFuture<>();
        AsyncAction<Void> refund = new AsyncAction<>() {
            @Override
            public CompletionStage<Void> forwards() {
                throw new UnsupportedOperationException();
            }

            @Override
            public CompletionStage<?> backwards() {
                calls.add("undo refund started");
                CompletableFuture.runAsync(() -> {
                    calls.add("undo refund done");
                    refunded.complete(null);
                });
                return refunded;
            }

            @Override
            public String name() {
                return "refund";
            }
        };

        RollbackReport report = Reversible.executor().build().rollBack(RecordedSaga.builder("s", "saga")
                .step(0, -1, Step.ok(calls, "reserve"))
                .step(1, -1, refund)
                .build());

        assertThat(calls.list()).containsExactly("undo refund started", "undo refund done", "undo reserve");
        assertThat(report.compensated()).containsExactly("refund", "reserve");
    }

    @Test
    void aChainOfOneHundredThousandNestedStepsRollsBackWithoutStackOverflow() {
        AtomicInteger undone = new AtomicInteger();
        RecordedSaga.Builder builder = RecordedSaga.builder("deep", "deep");
        int steps = 100_000;
        for (int i = 0; i < steps; i++) {
            int index = i;
            builder.step(i, i - 1, Reversible.<Void>action(context -> null, context -> {
                if (undone.getAndIncrement() != steps - 1 - index) {
                    throw new IllegalStateException("step " + index + " undone out of order");
                }
            }));
        }

        RollbackReport report = Reversible.executor().build().rollBack(builder.build());

        assertThat(undone.get()).isEqualTo(steps);
        assertThat(report.isComplete()).isTrue();
    }

    @Test
    void builderRefusesAStepAddedTwiceAParentAfterItsChildAndANegativeIndex() {
        Calls calls = new Calls();
        RecordedSaga.Builder builder = RecordedSaga.builder("s", "saga").step(0, -1, Step.ok(calls, "a"));

        assertThatThrownBy(() -> builder.step(0, -1, Step.ok(calls, "b")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Step 0 of saga saga (s) was added twice");
        assertThatThrownBy(() -> builder.step(3, 3, Step.ok(calls, "b")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a parent starts before its children");
        assertThatThrownBy(() -> builder.step(-1, -1, Step.ok(calls, "b")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("index is 0 or more, was -1");
        assertThatThrownBy(() -> RecordedSaga.builder(null, "saga")).isInstanceOf(NullPointerException.class);
    }

    @Test
    void recordedSagaWithoutAFailureSaysItWasRolledBackFromItsRecord() {
        RecordedSaga saga = RecordedSaga.builder("s-9", "refunds").build();

        RollbackReport report = Reversible.executor().build().rollBack(saga);

        assertThat(saga.failure()).hasMessage("Saga refunds (s-9) rolled back from its record");
        assertThat(report.failure()).isSameAs(saga.failure());
        assertThat(report.compensated()).isEmpty();
        assertThat(report.isComplete()).isTrue();
        assertThat(saga.size()).isZero();
        assertThat(saga).hasToString("recorded saga refunds (s-9)");
    }

    // ---- the two paths -----------------------------------------------------------------------------------

    private static Outcome live(RollbackPolicy policy, int attempts, Set<String> failingCompensations) {
        Calls calls = new Calls();
        RecordingListener listener = new RecordingListener();
        SagaExecutor executor = executor(policy, attempts, listener);
        Map<String, Step> steps = steps(calls, failingCompensations);
        try {
            executor.execute(Reversible.gen(saga -> {
                saga.run(steps.get("a"));
                saga.run(ParentStep.of(calls, "p", () -> {
                    saga.run(steps.get("c1"));
                    saga.run(ParentStep.of(calls, "c2", () -> saga.run(steps.get("g")))
                            .compensationFailing(failingCompensations.contains("c2") ? new IOException("undo c2 failed") : null));
                }).compensationFailing(failingCompensations.contains("p") ? new IOException("undo p failed") : null));
                saga.run(steps.get("b"));
                throw BODY_FAILED;
            }));
        } catch (Exception expected) {
            // the report says what happened
        }
        return new Outcome(withoutForwards(calls.list()), compensationEvents(listener), listener.reports().get(0));
    }

    private static Outcome recorded(RollbackPolicy policy, int attempts, Set<String> failingCompensations) {
        Calls calls = new Calls();
        RecordingListener listener = new RecordingListener();
        SagaExecutor executor = executor(policy, attempts, listener);
        Map<String, Step> steps = steps(calls, failingCompensations);
        RecordedSaga.Builder builder = RecordedSaga.builder("recorded", "saga").failure(BODY_FAILED, null);
        for (int i = 0; i < SHAPE.size(); i++) {
            Shape shape = SHAPE.get(i);
            Step step = steps.containsKey(shape.name()) ? steps.get(shape.name()) : step(calls, shape.name(), failingCompensations);
            builder.step(i, shape.parent(), step);
        }
        RollbackReport report = executor.rollBack(builder.build());
        return new Outcome(calls.list(), compensationEvents(listener), report);
    }

    private static SagaExecutor executor(RollbackPolicy policy, int attempts, SagaListener listener) {
        return Reversible.executor().rollbackPolicy(policy).compensationRetry(attempts, Duration.ZERO).listener(listener).build();
    }

    private static Map<String, Step> steps(Calls calls, Set<String> failing) {
        return Map.of("a", step(calls, "a", failing), "c1", step(calls, "c1", failing), "g", step(calls, "g", failing),
                "b", step(calls, "b", failing));
    }

    private static Step step(Calls calls, String name, Set<String> failing) {
        Step step = Step.ok(calls, name);
        return failing.contains(name) ? step.compensationFailing(new IOException("undo " + name + " failed")) : step;
    }

    private static List<String> withoutForwards(List<String> calls) {
        return calls.stream().filter(call -> call.startsWith("undo ")).toList();
    }

    private static List<String> compensationEvents(RecordingListener listener) {
        return listener.events().stream().filter(event -> event.startsWith("compensation") || event.startsWith("stepUndone")).toList();
    }

    private static void assertSameReport(RollbackReport recorded, RollbackReport live) {
        assertThat(recorded.failure()).isSameAs(live.failure());
        assertThat(recorded.compensated()).isEqualTo(live.compensated());
        assertThat(recorded.failedCompensations()).isEqualTo(live.failedCompensations());
        assertThat(recorded.pending()).isEqualTo(live.pending());
        assertThat(recorded.undoneByTransaction()).isEqualTo(live.undoneByTransaction());
        assertThat(recorded.failedStep()).isEqualTo(live.failedStep());
    }
}
