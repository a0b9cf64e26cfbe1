package dev.reversible.core;

import static dev.reversible.core.Failures.failureOf;
import static dev.reversible.core.Failures.thrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

/** The {@link SagaStep} SPI: a step's place in the saga when it starts, and steps undone by their transaction. */
class SagaStepTests {

    private final Calls calls = new Calls();
    private final Calls starts = new Calls();
    private final RecordingListener listener = new RecordingListener();
    private final SagaExecutor executor = Reversible.executor().listener(listener).build();
    private final IOException failure = new IOException("failure");

    private ParentStep step(String name) {
        return ParentStep.leaf(calls, name).recordingStartsIn(starts);
    }

    private AsyncParentStep asyncStep(String name) {
        return AsyncParentStep.leaf(calls, name).recordingStartsIn(starts);
    }

    // ---- started: index and parent index --------------------------------------------------------

    @Test
    void stepsAreIndexedInOrderOfStartWithinTheOutermostSagaChildrenBeforeTheNextSibling() throws Exception {
        executor.execute(Reversible.gen(saga -> {
            saga.run(ParentStep.of(calls, "p", () -> {
                saga.run(step("c1"));
                saga.run(ParentStep.of(calls, "c2", () -> saga.run(step("g"))).recordingStartsIn(starts));
            }).recordingStartsIn(starts));
            saga.run(step("s"));
            return null;
        }));

        assertThat(starts.list()).containsExactly("p 0 -1", "c1 1 0", "c2 2 0", "g 3 2", "s 4 -1");
    }

    @Test
    void nestedCompositesTakeNoIndexAndGiveTheirStepsTheirOwnParent() throws Exception {
        executor.execute(Reversible.gen(saga -> {
            saga.run(step("a"));
            saga.run(Reversible.gen(inner -> {
                inner.run(step("b"));
                return inner.run(Reversible.gen(innermost -> innermost.run(step("c"))));
            }));
            return saga.run(step("d"));
        }));

        assertThat(starts.list()).containsExactly("a 0 -1", "b 1 -1", "c 2 -1", "d 3 -1");
    }

    @Test
    void startedIsCalledOnceBeforeForwardsWithTheOutermostSaga() throws Exception {
        AtomicReference<SagaInfo> seen = new AtomicReference<>();
        AtomicReference<SagaInfo> body = new AtomicReference<>();
        ParentStep step = ParentStep.leaf(calls, "probe").onStarted(saga -> {
            seen.set(saga);
            calls.add("started");
        });

        executor.execute(Reversible.gen(saga -> {
            body.set(saga.saga());
            return saga.run(Reversible.gen(inner -> inner.run(step)));
        }));

        assertThat(step.startedCount).hasValue(1);
        assertThat(calls.list()).containsExactly("started", "probe");
        assertThat(seen.get()).isSameAs(body.get()).isSameAs(listener.sagas().get(0));
    }

    @Test
    void singleStepExecutedOnItsOwnHasIndexZeroAndNoParent() throws Exception {
        executor.execute(step("only"));
        executor.executeAsync(asyncStep("asyncOnly")).get(5, TimeUnit.SECONDS);

        assertThat(starts.list()).containsExactly("only 0 -1", "asyncOnly 0 -1");
    }

    @Test
    void failedStepStillTookItsPlaceAndTheNextStepGetsTheNextIndex() throws Exception {
        executor.execute(Reversible.gen(saga -> {
            saga.run(step("a"));
            try {
                saga.run(step("b").failing(failure));
            } catch (IOException e) {
                // handled: rule 6
            }
            return saga.run(step("c"));
        }));

        assertThat(starts.list()).containsExactly("a 0 -1", "b 1 -1", "c 2 -1");
    }

    @Test
    void asyncStepsAreIndexedInOrderOfStartAndSyncStepsStartedInTheirForwardsAreTheirChildren() throws Exception {
        executor.executeAsync(Reversible.genAsync(saga ->
                saga.run(asyncStep("a"))
                        .thenCompose(a -> saga.run(AsyncParentStep.of(calls, "p", () -> {
                            saga.run(step("c1"));
                            executor.currentScope().run(step("c2"));
                        }).recordingStartsIn(starts)))
                        .thenCompose(p -> saga.run(Reversible.genAsync(inner -> inner.run(asyncStep("n")))))
                        .thenCompose(n -> saga.run(step("s"))))).get(5, TimeUnit.SECONDS);

        assertThat(starts.list()).containsExactly("a 0 -1", "p 1 -1", "c1 2 1", "c2 3 1", "n 4 -1", "s 5 -1");
    }

    @Test
    void asyncStepsStartedTogetherAreIndexedInOrderOfStartNotOfCompletion() throws Exception {
        CompletableFuture<String> first = new CompletableFuture<>();
        CompletableFuture<Void> saga = executor.executeAsync(Reversible.genAsync(scope -> CompletableFuture.allOf(
                scope.run(asyncStep("slow").returning(first)).toCompletableFuture(),
                scope.run(asyncStep("fast")).toCompletableFuture())));
        first.complete("slow");

        saga.get(5, TimeUnit.SECONDS);
        assertThat(starts.list()).containsExactly("slow 0 -1", "fast 1 -1");
    }

    @Test
    void stepWhoseStartedCallbackThrowsFailsAtItsCallPointWithoutForwardsOrCompensation() {
        IllegalStateException journalDown = new IllegalStateException("journal down");
        ParentStep broken = step("broken").onStarted(saga -> {
            throw journalDown;
        });

        Throwable thrown = thrownBy(() -> executor.execute(Reversible.gen(saga -> {
            saga.run(step("a"));
            return saga.run(broken);
        })));

        assertThat(thrown).isSameAs(journalDown);
        assertThat(calls.list()).containsExactly("a", "undo a");
        assertThat(broken.backwardsCount).hasValue(0);
    }

    @Test
    void asyncStepWhoseStartedCallbackThrowsFailsTheSagaWithoutForwardsOrCompensationInsteadOfHanging() {
        IllegalStateException journalDown = new IllegalStateException("journal down");
        AsyncParentStep broken = asyncStep("broken").onStarted(saga -> {
            throw journalDown;
        });

        CompletableFuture<String> saga = executor.executeAsync(Reversible.genAsync(scope ->
                scope.run(asyncStep("a")).thenCompose(a -> scope.run(broken))));
        CompletableFuture<String> alone = executor.executeAsync(broken);

        assertThat(saga).failsWithin(5, TimeUnit.SECONDS);
        assertThat(failureOf(saga)).isSameAs(journalDown);
        assertThat(alone).failsWithin(5, TimeUnit.SECONDS);
        assertThat(failureOf(alone)).isSameAs(journalDown);
        assertThat(calls.list()).containsExactly("a", "undo a");
        assertThat(broken.backwardsCount).hasValue(0);
        assertThat(listener.events()).filteredOn(e -> e.startsWith("saga")).containsExactly(
                "sagaStarted saga", "sagaRolledBack saga", "sagaStarted broken", "sagaRolledBack broken");
    }

    // ---- undoneByTransaction ----------------------------------------------------------------------

    @Test
    void stepUndoneByItsTransactionIsNeverCompensatedAndIsReportedOnce() {
        ParentStep undone = step("undone").undoneByItsTransaction();

        Throwable thrown = thrownBy(() -> executor.execute(Reversible.gen(saga -> {
            saga.run(step("a"));
            saga.run(undone);
            saga.run(step("b").failing(failure));
            return null;
        })));

        assertThat(thrown).isSameAs(failure);
        assertThat(undone.backwardsCount).hasValue(0);
        assertThat(calls.list()).containsExactly("a", "undone", "b", "undo b", "undo a");
        assertThat(listener.events()).containsExactly(
                "sagaStarted saga",
                "stepCompleted a",
                "stepCompleted undone",
                "stepFailed b failure",
                "compensationSucceeded b attempts=1",
                "stepUndoneByTransaction undone",
                "compensationSucceeded a attempts=1",
                "sagaRolledBack saga");
        RollbackReport report = listener.reports().get(0);
        assertThat(report.compensated()).containsExactly("b", "a");
        assertThat(report.pending()).isEmpty();
        assertThat(report.failedCompensations()).isEmpty();
        assertThat(report.isComplete()).isTrue();
    }

    @Test
    void failedStepUndoneByItsTransactionIsNotCompensatedItself() {
        ParentStep undone = step("undone").undoneByItsTransaction().failing(failure);

        Throwable thrown = thrownBy(() -> executor.execute(Reversible.gen(saga -> {
            saga.run(step("a"));
            return saga.run(undone);
        })));

        assertThat(thrown).isSameAs(failure);
        assertThat(undone.backwardsCount).hasValue(0);
        assertThat(calls.list()).containsExactly("a", "undone", "undo a");
        assertThat(listener.events()).filteredOn(e -> e.startsWith("stepUndone")).containsExactly("stepUndoneByTransaction undone");
        RollbackReport report = listener.reports().get(0);
        assertThat(report.failedStep()).isEqualTo("undone");
        assertThat(report.compensated()).containsExactly("a");
        assertThat(report.pending()).isEmpty();
    }

    @Test
    void stepUndoneByItsTransactionIsNotPendingWhenAnotherCompensationFailsUnderContinue() {
        IOException undoFailure = new IOException("undo failed");
        SagaExecutor continuing = Reversible.executor().rollbackPolicy(RollbackPolicy.CONTINUE).listener(listener).build();
        ParentStep undone = step("undone").undoneByItsTransaction();

        Throwable thrown = thrownBy(() -> continuing.execute(Reversible.gen(saga -> {
            saga.run(undone);
            saga.run(Step.ok(calls, "b").compensationFailing(undoFailure));
            throw failure;
        })));

        assertThat(thrown).isInstanceOf(CompensationFailedException.class).hasCause(failure);
        assertThat(((CompensationFailedException) thrown).pending()).containsExactly("b");
        assertThat(undone.backwardsCount).hasValue(0);
        RollbackReport report = listener.reports().get(0);
        assertThat(report.compensated()).isEmpty();
        assertThat(report.pending()).containsExactly("b");
        assertThat(report.failedCompensations()).containsExactly("b");
    }

    @Test
    void asyncStepUndoneByItsTransactionIsNeverCompensatedAndIsReportedOnce() throws Exception {
        AsyncParentStep undone = asyncStep("undone").undoneByItsTransaction();

        CompletableFuture<Object> saga = executor.executeAsync(Reversible.genAsync(scope ->
                scope.run(asyncStep("a"))
                        .thenCompose(a -> scope.run(undone))
                        .thenCompose(u -> scope.run(asyncStep("b").failing(failure)))
                        .thenApply(b -> null)));

        assertThat(saga).failsWithin(5, TimeUnit.SECONDS);
        assertThat(failureOf(saga)).isSameAs(failure);
        assertThat(undone.backwardsCount).hasValue(0);
        assertThat(calls.list()).containsExactly("a", "undone", "b", "undo b", "undo a");
        assertThat(listener.events()).containsExactly(
                "sagaStarted saga",
                "stepCompleted a",
                "stepCompleted undone",
                "stepFailed b failure",
                "compensationSucceeded b attempts=1",
                "stepUndoneByTransaction undone",
                "compensationSucceeded a attempts=1",
                "sagaRolledBack saga");
        RollbackReport report = listener.reports().get(0);
        assertThat(report.compensated()).containsExactly("b", "a");
        assertThat(report.pending()).isEmpty();
    }

    @Test
    void failedAsyncStepUndoneByItsTransactionIsNotCompensatedItself() throws Exception {
        AsyncParentStep undone = asyncStep("undone").undoneByItsTransaction().failing(failure);

        CompletableFuture<String> saga = executor.executeAsync(undone);

        assertThat(saga).failsWithin(5, TimeUnit.SECONDS);
        assertThat(failureOf(saga)).isSameAs(failure);
        assertThat(undone.backwardsCount).hasValue(0);
        assertThat(listener.events()).containsExactly(
                "sagaStarted undone",
                "stepFailed undone failure",
                "stepUndoneByTransaction undone",
                "sagaRolledBack undone");
        assertThat(listener.reports().get(0).compensated()).isEmpty();
        assertThat(listener.reports().get(0).pending()).isEmpty();
    }

    @Test
    void syncStepUndoneByItsTransactionInAnAsyncSagaIsNeverCompensated() throws Exception {
        ParentStep undone = step("undone").undoneByItsTransaction();

        CompletableFuture<Object> saga = executor.executeAsync(Reversible.genAsync(scope ->
                scope.run(undone).thenCompose(u -> CompletableFuture.failedFuture(failure))));

        assertThat(saga).failsWithin(5, TimeUnit.SECONDS);
        assertThat(undone.backwardsCount).hasValue(0);
        assertThat(listener.events()).contains("stepUndoneByTransaction undone");
        assertThat(listener.reports().get(0).compensated()).isEmpty();
    }
}
