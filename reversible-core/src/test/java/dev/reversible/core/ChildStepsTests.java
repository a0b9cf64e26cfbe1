package dev.reversible.core;

import static dev.reversible.core.Failures.thrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

/** Rule 14 in the synchronous engine: steps started while a step's forwards runs are its children. */
class ChildStepsTests {

    private final Calls calls = new Calls();
    private final RecordingListener listener = new RecordingListener();
    private final SagaExecutor executor = Reversible.executor().listener(listener).build();
    private final IOException parentFailure = new IOException("parent failed");
    private final IOException childFailure = new IOException("child failed");
    private final IOException later = new IOException("later");

    @Test
    void failingParentUndoesItsCompletedChildrenThenItselfBeforeItsExceptionReachesTheBody() throws Exception {
        AtomicReference<Throwable> caught = new AtomicReference<>();

        String result = executor.execute(Reversible.gen(saga -> {
            saga.run(Step.ok(calls, "a"));
            try {
                saga.run(ParentStep.of(calls, "p", () -> {
                    saga.run(Step.ok(calls, "c1"));
                    saga.run(Step.ok(calls, "c2"));
                }).failing(parentFailure));
            } catch (IOException e) {
                caught.set(e);
                calls.add("body caught " + e.getMessage());
            }
            return saga.run(Step.ok(calls, "b"));
        }));

        assertThat(result).isEqualTo("b");
        assertThat(caught.get()).isSameAs(parentFailure);
        assertThat(calls.list()).containsExactly("a", "p", "c1", "c2",
                "undo c2", "undo c1", "undo p", "body caught parent failed", "b");
        assertThat(listener.events()).containsExactly(
                "sagaStarted saga",
                "stepCompleted a",
                "stepCompleted c1",
                "stepCompleted c2",
                "stepFailed p parent failed",
                "compensationSucceeded c2 attempts=1",
                "compensationSucceeded c1 attempts=1",
                "compensationSucceeded p attempts=1",
                "stepCompleted b",
                "sagaCompleted saga");
    }

    @Test
    void failingParentNotCaughtUndoesItsChildrenThenItselfThenTheStepsBeforeIt() {
        Throwable thrown = thrownBy(() -> executor.execute(Reversible.gen(saga -> {
            saga.run(Step.ok(calls, "a"));
            saga.run(ParentStep.of(calls, "p", () -> {
                saga.run(Step.ok(calls, "c1"));
                saga.run(Step.ok(calls, "c2"));
            }).failing(parentFailure));
            return saga.run(Step.ok(calls, "never"));
        })));

        assertThat(thrown).isSameAs(parentFailure);
        assertThat(calls.list()).containsExactly("a", "p", "c1", "c2", "undo c2", "undo c1", "undo p", "undo a");
        RollbackReport report = listener.reports().get(0);
        assertThat(report.failedStep()).isEqualTo("p");
        assertThat(report.compensated()).containsExactly("c2", "c1", "p", "a");
        assertThat(report.isComplete()).isTrue();
    }

    @Test
    void failingParentWithoutChildrenIsUndoneItselfOnly() {
        Throwable thrown = thrownBy(() -> executor.execute(Reversible.gen(saga -> {
            saga.run(Step.ok(calls, "a"));
            return saga.run(ParentStep.leaf(calls, "p").failing(parentFailure));
        })));

        assertThat(thrown).isSameAs(parentFailure);
        assertThat(calls.list()).containsExactly("a", "p", "undo p", "undo a");
    }

    @Test
    void sagaRollingBackUndoesEachParentsChildrenLatestFirstThenTheParentInReverseOrderOfStart() {
        Throwable thrown = thrownBy(() -> executor.execute(Reversible.gen(saga -> {
            saga.run(Step.ok(calls, "a"));
            saga.run(ParentStep.of(calls, "p", () -> {
                saga.run(Step.ok(calls, "c1"));
                saga.run(Step.ok(calls, "c2"));
            }));
            saga.run(Step.ok(calls, "b"));
            saga.run(ParentStep.of(calls, "q", () -> saga.run(Step.ok(calls, "c3"))));
            throw later;
        })));

        assertThat(thrown).isSameAs(later);
        assertThat(calls.list()).containsExactly("a", "p", "c1", "c2", "b", "q", "c3",
                "undo c3", "undo q", "undo b", "undo c2", "undo c1", "undo p", "undo a");
    }

    @Test
    void threeLevelsOfNestingAreUndoneDeepestAndLatestFirst() {
        Throwable thrown = thrownBy(() -> executor.execute(Reversible.gen(saga -> {
            saga.run(ParentStep.of(calls, "p", () -> {
                saga.run(ParentStep.of(calls, "c1", () -> {
                    saga.run(Step.ok(calls, "g1"));
                    saga.run(Step.ok(calls, "g2"));
                }));
                saga.run(Step.ok(calls, "c2"));
            }));
            saga.run(Step.ok(calls, "b"));
            throw later;
        })));

        assertThat(thrown).isSameAs(later);
        assertThat(calls.list()).containsExactly("p", "c1", "g1", "g2", "c2", "b",
                "undo b", "undo c2", "undo g2", "undo g1", "undo c1", "undo p");
    }

    @Test
    void failingMiddleLevelUndoesItsChildrenThenItselfThenItsParentUndoesTheRest() {
        Throwable thrown = thrownBy(() -> executor.execute(Reversible.gen(saga -> {
            saga.run(Step.ok(calls, "a"));
            saga.run(ParentStep.of(calls, "p", () -> {
                saga.run(Step.ok(calls, "c0"));
                saga.run(ParentStep.of(calls, "c1", () -> saga.run(Step.ok(calls, "g1"))).failing(childFailure));
            }));
            return null;
        })));

        assertThat(thrown).isSameAs(childFailure);
        assertThat(calls.list()).containsExactly("a", "p", "c0", "c1", "g1",
                "undo g1", "undo c1", "undo c0", "undo p", "undo a");
    }

    @Test
    void childFailingInsideAParentThatCatchesItIsUndoneAloneThenALaterSagaFailureUndoesTheRest() {
        Throwable thrown = thrownBy(() -> executor.execute(Reversible.gen(saga -> {
            saga.run(ParentStep.of(calls, "p", () -> {
                saga.run(Step.ok(calls, "c1"));
                try {
                    saga.run(Step.ok(calls, "c2").failing(childFailure));
                } catch (IOException e) {
                    calls.add("p caught " + e.getMessage());
                }
                saga.run(Step.ok(calls, "c3"));
            }));
            saga.run(Step.ok(calls, "b").failing(later));
            return null;
        })));

        assertThat(thrown).isSameAs(later);
        assertThat(calls.list()).containsExactly("p", "c1", "c2", "undo c2", "p caught child failed", "c3", "b",
                "undo b", "undo c3", "undo c1", "undo p");
    }

    @Test
    void completedParentAndChildrenStandWhenTheSagaSucceeds() throws Exception {
        String result = executor.execute(Reversible.gen(saga -> saga.run(ParentStep.of(calls, "p", () -> {
            saga.run(Step.ok(calls, "c1"));
        }))));

        assertThat(result).isEqualTo("p");
        assertThat(calls.list()).containsExactly("p", "c1");
        assertThat(listener.events()).containsExactly("sagaStarted saga", "stepCompleted c1", "stepCompleted p", "sagaCompleted saga");
    }

    @Test
    void stepStartedThroughTheBodysCapturedScopeInsideAStepsForwardsIsItsChild() {
        Calls starts = new Calls();

        thrownBy(() -> executor.execute(Reversible.gen(saga -> {
            saga.run(ParentStep.of(calls, "p", () -> saga.run(ParentStep.leaf(calls, "c").recordingStartsIn(starts)))
                    .recordingStartsIn(starts).failing(parentFailure));
            return null;
        })));

        assertThat(starts.list()).containsExactly("p 0 -1", "c 1 0");
        assertThat(calls.list()).containsExactly("p", "c", "undo c", "undo p");
    }

    @Test
    void stepStartedThroughCurrentScopeInsideAStepsForwardsIsItsChild() {
        Calls starts = new Calls();
        AtomicReference<SagaScope> bodyScope = new AtomicReference<>();
        AtomicReference<SagaScope> stepScope = new AtomicReference<>();

        Throwable thrown = thrownBy(() -> executor.execute(Reversible.gen(saga -> {
            bodyScope.set(saga);
            saga.run(Step.ok(calls, "a"));
            try {
                saga.run(ParentStep.of(calls, "p", () -> {
                    SagaScope scope = executor.currentScope();
                    stepScope.set(scope);
                    scope.run(ParentStep.leaf(calls, "c").recordingStartsIn(starts));
                }).recordingStartsIn(starts).failing(parentFailure));
            } catch (IOException e) {
                calls.add("body caught");
            }
            throw later;
        })));

        assertThat(thrown).isSameAs(later);
        assertThat(stepScope.get()).isNotNull().isNotSameAs(bodyScope.get());
        assertThat(stepScope.get().saga()).isSameAs(bodyScope.get().saga());
        assertThat(starts.list()).containsExactly("p 1 -1", "c 2 1");
        assertThat(calls.list()).containsExactly("a", "p", "c", "undo c", "undo p", "body caught", "undo a");
    }

    @Test
    void stepsOfACompositeStartedInsideAStepsForwardsAreItsChildren() {
        Calls starts = new Calls();

        Throwable thrown = thrownBy(() -> executor.execute(Reversible.gen(saga -> {
            saga.run(ParentStep.of(calls, "p", () -> saga.run(Reversible.gen(inner -> {
                inner.run(ParentStep.leaf(calls, "c1").recordingStartsIn(starts));
                return inner.run(ParentStep.leaf(calls, "c2").recordingStartsIn(starts));
            }))).recordingStartsIn(starts).failing(parentFailure));
            return null;
        })));

        assertThat(thrown).isSameAs(parentFailure);
        assertThat(starts.list()).containsExactly("p 0 -1", "c1 1 0", "c2 2 0");
        assertThat(calls.list()).containsExactly("p", "c1", "c2", "undo c2", "undo c1", "undo p");
    }

    @Test
    void childStartedThroughAStepsScopeAfterTheStepEndedIsRefused() throws Exception {
        AtomicReference<SagaScope> stepScope = new AtomicReference<>();
        executor.execute(ParentStep.of(calls, "p", () -> stepScope.set(executor.currentScope())));

        Throwable thrown = thrownBy(() -> stepScope.get().run(Step.ok(calls, "late")));

        assertThat(thrown).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThat(calls.list()).containsExactly("p");
    }

    @Test
    void singleActionExecutedOnItsOwnMayStartChildrenThatItsFailureUndoes() {
        Throwable thrown = thrownBy(() -> executor.execute(ParentStep.of(calls, "p", () -> {
            executor.currentScope().run(Step.ok(calls, "c1"));
            executor.currentScope().run(Step.ok(calls, "c2"));
        }).failing(parentFailure)));

        assertThat(thrown).isSameAs(parentFailure);
        assertThat(calls.list()).containsExactly("p", "c1", "c2", "undo c2", "undo c1", "undo p");
    }

    @Test
    void childWhoseCompensationFailsUnderAbortLeavesTheParentPending() {
        IOException undoFailure = new IOException("undo failed");

        Throwable thrown = thrownBy(() -> executor.execute(Reversible.gen(saga -> {
            saga.run(Step.ok(calls, "a"));
            saga.run(ParentStep.of(calls, "p", () -> {
                saga.run(Step.ok(calls, "c1"));
                saga.run(Step.ok(calls, "c2").compensationFailing(undoFailure));
            }).failing(parentFailure));
            return null;
        })));

        assertThat(thrown).isInstanceOf(CompensationFailedException.class).hasCause(parentFailure);
        CompensationFailedException incomplete = (CompensationFailedException) thrown;
        assertThat(incomplete.failures()).containsExactly(undoFailure);
        assertThat(incomplete.pending()).containsExactly("c2", "c1", "p", "a");
        assertThat(calls.list()).containsExactly("a", "p", "c1", "c2", "undo c2");
    }

    @Test
    void childWhoseCompensationFailsUnderContinueStillLetsTheParentAndTheRestBeUndone() {
        IOException undoFailure = new IOException("undo failed");
        SagaExecutor continuing = Reversible.executor().rollbackPolicy(RollbackPolicy.CONTINUE).build();

        Throwable thrown = thrownBy(() -> continuing.execute(Reversible.gen(saga -> {
            saga.run(Step.ok(calls, "a"));
            saga.run(ParentStep.of(calls, "p", () -> {
                saga.run(Step.ok(calls, "c1"));
                saga.run(Step.ok(calls, "c2").compensationFailing(undoFailure));
            }).failing(parentFailure));
            return null;
        })));

        assertThat(thrown).isInstanceOf(CompensationFailedException.class).hasCause(parentFailure);
        assertThat(((CompensationFailedException) thrown).pending()).containsExactly("c2");
        assertThat(calls.list()).containsExactly("a", "p", "c1", "c2", "undo c2", "undo c1", "undo p", "undo a");
    }
}
