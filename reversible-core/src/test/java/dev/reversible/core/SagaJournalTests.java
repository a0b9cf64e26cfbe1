package dev.reversible.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The journal SPI: the engine opens one {@link SagaRecord} per outermost saga and calls it on the same
 * {@link StepInfo} objects at every step start and end, every compensation attempt and the saga's end — for
 * every step, a lambda included — and a record's failures never change a saga's outcome, except a refused
 * start, which stops its step.
 */
class SagaJournalTests {

    private final List<String> events = Collections.synchronizedList(new ArrayList<>());
    private final List<StepInfo> seen = Collections.synchronizedList(new ArrayList<>());
    private final List<SagaInfo> opened = Collections.synchronizedList(new ArrayList<>());

    /** Writes every event as a line; the behaviour of a test's record is changed by overriding. */
    class Recording implements SagaRecord {

        @Override
        public void stepStarted(StepInfo step) {
            seen.add(step);
            events.add("started " + step.name() + " #" + step.index() + " parent " + step.parentIndex() + " in " + step.saga().name());
        }

        @Override
        public void stepEnded(StepInfo step, Object result, Throwable failure) {
            assertThat(seen).as("the same object from start to end").anySatisfy(s -> assertThat(s).isSameAs(step));
            events.add("ended " + step.name() + " result " + result + (failure == null ? "" : " failure " + failure.getMessage()));
        }

        @Override
        public <T> T compensate(StepInfo step, int attempt, Callable<T> compensation) throws Exception {
            events.add("compensate " + step.name() + " attempt " + attempt);
            return compensation.call();
        }

        @Override
        public void compensationSucceeded(StepInfo step, int attempt) {
            assertThat(seen).anySatisfy(s -> assertThat(s).isSameAs(step));
            events.add("compensated " + step.name() + " attempt " + attempt);
        }

        @Override
        public void compensationFailed(StepInfo step, int attempt, Throwable failure) {
            events.add("compensation failed " + step.name() + " attempt " + attempt + ": " + failure.getMessage());
        }

        @Override
        public void stepUndoneByTransaction(StepInfo step) {
            events.add("undone by transaction " + step.name());
        }

        @Override
        public void sagaCompleted() {
            events.add("saga completed");
        }

        @Override
        public void sagaFailed(Throwable failure) {
            events.add("saga failed " + failure.getMessage());
        }

        @Override
        public void sagaRolledBack(RollbackReport report) {
            events.add("saga rolled back: compensated " + report.compensated() + ", failed " + report.failedCompensations()
                    + ", pending " + report.pending());
        }
    }

    private SagaExecutor executor(SagaRecord record) {
        return Reversible.executor().journal(saga -> {
            opened.add(saga);
            return record;
        }).build();
    }

    private static <T> CompositeAction<T> gen(String name, SagaBody<? extends T> body) {
        return Reversible.<T>gen(body).named(name);
    }

    private static <T> AsyncCompositeAction<T> genAsync(String name, AsyncSagaBody<? extends T> body) {
        return Reversible.<T>genAsync(body).named(name);
    }

    private static Action<String> step(String name, List<String> calls) {
        return new Action<>() {
            @Override
            public String forwards() {
                calls.add(name);
                return name.toUpperCase();
            }

            @Override
            public void backwards() {
                calls.add("undo " + name);
            }

            @Override
            public String name() {
                return name;
            }
        };
    }

    @Test
    void everyStepOfASuccessfulSagaIsRecordedStartedAndEndedThenTheSagaCompleted() throws Exception {
        List<String> calls = new ArrayList<>();
        SagaExecutor executor = executor(new Recording());

        String result = executor.execute(gen("order", scope -> {
            scope.run(step("reserve", calls));
            return scope.run(step("charge", calls));
        }));

        assertThat(result).isEqualTo("CHARGE");
        assertThat(opened).hasSize(1);
        assertThat(opened.get(0).name()).isEqualTo("order");
        assertThat(events).containsExactly(
                "started reserve #0 parent -1 in order", "ended reserve result RESERVE",
                "started charge #1 parent -1 in order", "ended charge result CHARGE",
                "saga completed");
        assertThat(seen).extracting(StepInfo::saga).allSatisfy(saga -> assertThat(saga).isSameAs(opened.get(0)));
        assertThat(seen.get(0).action()).isNotInstanceOf(StepInfo.class);
    }

    @Test
    void programmaticLambdaStepsAreRecordedLikeAnyOther() throws Exception {
        List<String> calls = new ArrayList<>();
        SagaExecutor executor = executor(new Recording());

        Throwable thrown = catchThrowable(() -> executor.execute(gen("lambdas", scope -> {
            scope.run(Reversible.action(context -> calls.add("a"), context -> calls.add("undo a")));
            throw new IOException("body failed");
        })));

        assertThat(thrown).hasMessage("body failed");
        assertThat(calls).containsExactly("a", "undo a");
        assertThat(events).hasSize(5);
        assertThat(events.get(0)).startsWith("started ").endsWith(" #0 parent -1 in lambdas");
        assertThat(events.get(1)).startsWith("ended ").endsWith(" result true");
        assertThat(events.get(2)).startsWith("compensate ").endsWith(" attempt 1");
        assertThat(events.get(3)).startsWith("compensated ").endsWith(" attempt 1");
        assertThat(events.get(4)).startsWith("saga rolled back: compensated [").endsWith("], failed [], pending []");
    }

    @Test
    void aChildStepIsRecordedWithItsParentAndUndoneBeforeIt() {
        List<String> calls = new ArrayList<>();
        SagaExecutor executor = executor(new Recording());
        Action<String> parent = new Action<>() {
            @Override
            public String forwards() throws Exception {
                calls.add("parent");
                return executor.currentScope().run(step("child", calls));
            }

            @Override
            public void backwards() {
                calls.add("undo parent");
            }

            @Override
            public String name() {
                return "parent";
            }
        };

        Throwable thrown = catchThrowable(() -> executor.execute(gen("nested", scope -> {
            scope.run(parent);
            throw new IOException("body failed");
        })));

        assertThat(thrown).hasMessage("body failed");
        assertThat(calls).containsExactly("parent", "child", "undo child", "undo parent");
        assertThat(events).containsExactly(
                "started parent #0 parent -1 in nested", "started child #1 parent 0 in nested", "ended child result CHILD",
                "ended parent result CHILD",
                "compensate child attempt 1", "compensated child attempt 1",
                "compensate parent attempt 1", "compensated parent attempt 1",
                "saga rolled back: compensated [child, parent], failed [], pending []");
    }

    @Test
    void aRefusedStartStopsItsStepWhichFailsWithTheRecordsExceptionAndTheEarlierStepsAreUndone() {
        List<String> calls = new ArrayList<>();
        IllegalStateException refused = new IllegalStateException("journal unreachable");
        SagaExecutor executor = executor(new Recording() {
            @Override
            public void stepStarted(StepInfo step) {
                if (step.index() == 1) {
                    throw refused;
                }
                super.stepStarted(step);
            }
        });

        Throwable thrown = catchThrowable(() -> executor.execute(gen("refused", scope -> {
            scope.run(step("reserve", calls));
            return scope.run(step("charge", calls));
        })));

        assertThat(thrown).isSameAs(refused);
        assertThat(calls).containsExactly("reserve", "undo reserve");
        assertThat(events).containsExactly("started reserve #0 parent -1 in refused", "ended reserve result RESERVE",
                "compensate reserve attempt 1", "compensated reserve attempt 1",
                "saga rolled back: compensated [reserve], failed [], pending []");
    }

    @Test
    void eachCompensationAttemptIsRecordedWithItsOutcome() {
        List<String> calls = new ArrayList<>();
        SagaExecutor executor = Reversible.executor().compensationRetry(3, Duration.ZERO).journal(saga -> new Recording()).build();
        int[] failures = {2};
        Action<String> refund = new AttemptAwareAction<>() {
            @Override
            public String forwards() {
                return "charged";
            }

            @Override
            public void backwards(int attempt) {
                calls.add("refund " + attempt);
                if (failures[0]-- > 0) {
                    throw new IllegalStateException("bank down " + attempt);
                }
            }

            @Override
            public String name() {
                return "charge";
            }
        };

        Throwable thrown = catchThrowable(() -> executor.execute(gen("retried", scope -> {
            scope.run(refund);
            throw new IOException("body failed");
        })));

        assertThat(thrown).hasMessage("body failed");
        assertThat(calls).containsExactly("refund 1", "refund 2", "refund 3");
        assertThat(events).containsExactly("started charge #0 parent -1 in retried", "ended charge result charged",
                "compensate charge attempt 1", "compensation failed charge attempt 1: bank down 1",
                "compensate charge attempt 2", "compensation failed charge attempt 2: bank down 2",
                "compensate charge attempt 3", "compensated charge attempt 3",
                "saga rolled back: compensated [charge], failed [], pending []");
    }

    @Test
    void aRecordThatDoesNotRunACompensationIsObeyedAndTheOutcomeStillRecorded() {
        List<String> calls = new ArrayList<>();
        SagaExecutor executor = executor(new Recording() {
            @Override
            public <T> T compensate(StepInfo step, int attempt, Callable<T> compensation) {
                events.add("not run here " + step.name());
                return null;   // another owner has taken the saga over
            }
        });

        catchThrowable(() -> executor.execute(gen("taken", scope -> {
            scope.run(step("reserve", calls));
            throw new IOException("body failed");
        })));

        assertThat(calls).containsExactly("reserve");
        assertThat(events).containsExactly("started reserve #0 parent -1 in taken", "ended reserve result RESERVE",
                "not run here reserve", "compensated reserve attempt 1",
                "saga rolled back: compensated [reserve], failed [], pending []");
    }

    @Test
    void aRecordThatThrowsWhileRecordingWhatHappenedChangesNoOutcome() throws Exception {
        List<String> calls = new ArrayList<>();
        SagaExecutor executor = executor(new SagaRecord() {
            @Override
            public void stepStarted(StepInfo step) {
                events.add("started " + step.name());
            }

            @Override
            public void stepEnded(StepInfo step, Object result, Throwable failure) {
                throw new IllegalStateException("end not written");
            }

            @Override
            public void compensationSucceeded(StepInfo step, int attempt) {
                throw new IllegalStateException("mark not written");
            }

            @Override
            public void sagaCompleted() {
                throw new IllegalStateException("saga end not written");
            }

            @Override
            public void sagaRolledBack(RollbackReport report) {
                throw new IllegalStateException("saga end not written");
            }
        });

        String result = executor.execute(SagaJournalTests.<String>gen("ok", scope -> scope.run(step("a", calls))));
        assertThat(result).isEqualTo("A");
        IOException failure = new IOException("body failed");
        assertThat(catchThrowable(() -> executor.execute(gen("rolled", scope -> {
            scope.run(step("b", calls));
            throw failure;
        })))).isSameAs(failure);
        assertThat(calls).containsExactly("a", "b", "undo b");
        assertThat(events).containsExactly("started a", "started b");
    }

    @Test
    void aFailedStepsEndCarriesItsFailureAndAFailedCompensationIsInTheReport() {
        List<String> calls = new ArrayList<>();
        SagaExecutor executor = executor(new Recording());
        Action<String> failing = new Action<>() {
            @Override
            public String forwards() throws IOException {
                calls.add("ship");
                throw new IOException("no courier");
            }

            @Override
            public void backwards() {
                throw new IllegalStateException("cannot cancel");
            }

            @Override
            public String name() {
                return "ship";
            }
        };

        Throwable thrown = catchThrowable(() -> executor.execute(gen("shipping", scope -> {
            scope.run(step("reserve", calls));
            return scope.run(failing);
        })));

        assertThat(thrown).isInstanceOf(CompensationFailedException.class).hasCauseInstanceOf(IOException.class);
        assertThat(events).containsExactly("started reserve #0 parent -1 in shipping", "ended reserve result RESERVE",
                "started ship #1 parent -1 in shipping", "ended ship result null failure no courier",
                "compensate ship attempt 1", "compensation failed ship attempt 1: cannot cancel",
                "saga rolled back: compensated [], failed [ship], pending [ship, reserve]");
    }

    @Test
    void aStepUndoneByItsTransactionIsRecordedSoAndNotCompensated() {
        class Joined implements Action<String>, SagaStep {
            @Override
            public String forwards() {
                return "joined";
            }

            @Override
            public void backwards() {
                events.add("handler ran");
            }

            @Override
            public String name() {
                return "joined";
            }

            @Override
            public void started(SagaInfo saga, int index, int parentIndex) {
                events.add("the step learns its place #" + index);
            }

            @Override
            public boolean undoneByTransaction() {
                return true;
            }
        }
        SagaExecutor executor = executor(new Recording());

        catchThrowable(() -> executor.execute(gen("tx", scope -> {
            scope.run(new Joined());
            throw new IOException("body failed");
        })));

        assertThat(events).containsExactly("the step learns its place #0", "started joined #0 parent -1 in tx", "ended joined result joined",
                "undone by transaction joined", "saga rolled back: compensated [], failed [], pending []");
    }

    @Test
    void anAsynchronousSagasStepsAreRecordedWhenTheirFuturesComplete() throws Exception {
        SagaExecutor executor = executor(new Recording());
        CompletableFuture<String> reserved = new CompletableFuture<>();
        AsyncAction<String> reserve = new AsyncAction<>() {
            @Override
            public CompletionStage<String> forwards() {
                return reserved;
            }

            @Override
            public CompletionStage<?> backwards() {
                events.add("undo reserve");
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public String name() {
                return "reserve";
            }
        };

        CompletableFuture<String> saga = executor.executeAsync(genAsync("async", scope -> scope.run(reserve)
                .thenCompose(value -> CompletableFuture.<String>failedFuture(new IOException("then failed")))));
        assertThat(events).containsExactly("started reserve #0 parent -1 in async");
        reserved.complete("R1");

        assertThatThrownBy(() -> saga.get(10, TimeUnit.SECONDS)).hasRootCauseMessage("then failed");
        assertThat(events).containsExactly("started reserve #0 parent -1 in async", "ended reserve result R1",
                "compensate reserve attempt 1", "undo reserve", "compensated reserve attempt 1",
                "saga rolled back: compensated [reserve], failed [], pending []");
    }

    @Test
    void anAsynchronousStepThatThrowsAtOnceIsRecordedEndedWithItsFailureAndItsNullCompensationAsDone() throws Exception {
        SagaExecutor executor = executor(new Recording());
        IllegalStateException refused = new IllegalStateException("refused at once");
        AsyncAction<String> reserve = new AsyncAction<>() {
            @Override
            public CompletionStage<String> forwards() {
                throw refused;
            }

            @Override
            public CompletionStage<?> backwards() {
                events.add("undo reserve");
                return null;   // done already
            }

            @Override
            public String name() {
                return "reserve";
            }
        };

        CompletableFuture<String> saga = executor.executeAsync(reserve);

        assertThatThrownBy(() -> saga.get(10, TimeUnit.SECONDS)).hasCause(refused);
        assertThat(events).containsExactly("started reserve #0 parent -1 in reserve", "ended reserve result null failure refused at once",
                "compensate reserve attempt 1", "undo reserve", "compensated reserve attempt 1",
                "saga rolled back: compensated [reserve], failed [], pending []");
    }

    @Test
    void anAsynchronousCompensationTheRecordRefusesIsRecordedFailed() throws Exception {
        SagaExecutor executor = executor(new Recording() {
            @Override
            public <T> T compensate(StepInfo step, int attempt, Callable<T> compensation) {
                throw new IllegalStateException("journal down");
            }
        });
        AsyncAction<String> reserve = new AsyncAction<>() {
            @Override
            public CompletionStage<String> forwards() {
                return CompletableFuture.failedFuture(new IOException("no stock"));
            }

            @Override
            public CompletionStage<?> backwards() {
                events.add("undo reserve");
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public String name() {
                return "reserve";
            }
        };

        CompletableFuture<String> saga = executor.executeAsync(reserve);

        assertThatThrownBy(() -> saga.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(CompensationFailedException.class);
        assertThat(events).containsExactly("started reserve #0 parent -1 in reserve", "ended reserve result null failure no stock",
                "compensation failed reserve attempt 1: journal down",
                "saga rolled back: compensated [], failed [reserve], pending [reserve]");
    }

    @Test
    void aSagaWhoseFailureItsRuleKeepsIsRecordedFailedNotRolledBack() {
        List<String> calls = new ArrayList<>();
        SagaExecutor executor = executor(new Recording());
        IOException kept = new IOException("payment pending");

        Throwable thrown = catchThrowable(() -> executor.execute(gen("tolerant", scope -> {
            scope.run(step("reserve", calls));
            throw kept;
        }).rollbackOn(failure -> false)));

        assertThat(thrown).isSameAs(kept);
        assertThat(calls).containsExactly("reserve");
        assertThat(events).containsExactly("started reserve #0 parent -1 in tolerant", "ended reserve result RESERVE",
                "saga failed payment pending");
    }

    @Test
    void aSagaRolledBackFromItsRecordIsNotRecordedAgain() {
        List<String> calls = new ArrayList<>();
        SagaExecutor executor = executor(new Recording());

        RollbackReport report = executor.rollBack(RecordedSaga.builder("s-1", "recovered").step(0, -1, step("a", calls)).build());

        assertThat(report.compensated()).containsExactly("a");
        assertThat(calls).containsExactly("undo a");
        assertThat(RecordedSaga.builder("s-2", "two").step(0, -1, step("a", calls)).compensatedStep(1, -1).build().size()).isEqualTo(2);
        assertThat(opened).isEmpty();
        assertThat(events).isEmpty();
    }

    @Test
    void withoutAJournalNoStepIsWrapped() throws Exception {
        List<Object> actions = new ArrayList<>();
        SagaExecutor executor = Reversible.executor().build();
        Action<String> plain = step("plain", new ArrayList<>());

        executor.execute(gen("plain", scope -> {
            actions.add(executor.currentScope());
            return scope.run(plain);
        }));

        assertThat(opened).isEmpty();
        assertThat(actions).hasSize(1);
    }
}
