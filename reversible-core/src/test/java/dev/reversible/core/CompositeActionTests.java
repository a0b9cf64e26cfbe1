package dev.reversible.core;

import static dev.reversible.core.Failures.thrownBy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

/** Rules 5–9 for {@code gen} composites, {@code rollbackOn}, closed scopes and direct use. */
class CompositeActionTests {

    private final Calls calls = new Calls();
    private final SagaExecutor executor = Reversible.executor().build();

    // ---- options ------------------------------------------------------------------------------

    @Test
    void optionsAreRefusedWhenNullAndEachCopyKeepsTheOthers() throws Exception {
        CompositeAction<String> composite = Reversible.gen(saga -> saga.run(Step.ok(calls, "a")));

        assertThatThrownBy(() -> composite.named(null)).isInstanceOf(NullPointerException.class).hasMessage("name must not be null");
        assertThatThrownBy(() -> composite.rollbackOn(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("rollbackOn must not be null");
        assertThatThrownBy(() -> composite.compensation(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("compensation must not be null");
        assertThatThrownBy(() -> Reversible.gen(null)).isInstanceOf(NullPointerException.class).hasMessage("body must not be null");

        // Renamed, given a body, a deadline and a mode: the rule set before is still the one asked.
        IOException kept = new IOException("kept");
        CompositeAction<String> configured = composite.rollbackOn(e -> e != kept).named("configured")
                .timeout(java.time.Duration.ofMinutes(1)).compensation(CompensationMode.PARALLEL)
                .withBody(saga -> {
                    saga.run(Step.ok(calls, "b"));
                    throw kept;
                });
        assertThat(configured.name()).isEqualTo("configured");
        assertThat(thrownBy(() -> executor.execute(configured))).isSameAs(kept);
        assertThat(calls.list()).containsExactly("b");   // rejected by the rule: b stands
    }

    // ---- rule 5 -------------------------------------------------------------------------------

    @Test
    void stepsRunInTheOrderTheBodyRunsThemAndReturnTheirResultAtTheCallPoint() throws Exception {
        CompositeAction<String> composite = Reversible.gen(saga -> {
            String a = saga.run(Step.ok(calls, "a"));
            calls.add("body got " + a);
            String b = saga.run(Step.ok(calls, "b"));
            calls.add("body got " + b);
            return a + b;
        });

        assertThat(executor.execute(composite)).isEqualTo("ab");
        assertThat(calls.list()).containsExactly("a", "body got a", "b", "body got b");
    }

    @Test
    void emptyBodyIsAValidAction() throws Exception {
        CompositeAction<String> constant = Reversible.gen(saga -> "nothing to do");
        CompositeAction<Object> empty = Reversible.gen(saga -> null);

        assertThat(executor.execute(constant)).isEqualTo("nothing to do");
        assertThat(executor.execute(empty)).isNull();
    }

    @Test
    void emptyBodyThatFailsRethrowsTheSameException() {
        IOException boom = new IOException("boom");

        assertThat(thrownBy(() -> executor.execute(Reversible.gen(saga -> { throw boom; })))).isSameAs(boom);
    }

    @Test
    void compositeIsAnAction() {
        Action<String> action = Reversible.gen(saga -> "x");

        assertThat(action).isInstanceOf(CompositeAction.class);
    }

    // ---- rule 6 -------------------------------------------------------------------------------

    @Test
    void failedStepIsCompensatedBeforeItsExceptionReachesTheBody() throws Exception {
        IllegalStateException boom = new IllegalStateException("boom");
        AtomicReference<Throwable> caught = new AtomicReference<>();

        String result = executor.execute(Reversible.gen(saga -> {
            saga.run(Step.ok(calls, "a"));
            try {
                saga.run(Step.ok(calls, "b").failing(boom));
            } catch (IllegalStateException e) {
                caught.set(e);
                calls.add("body caught " + e.getMessage());
            }
            return "done";
        }));

        assertThat(result).isEqualTo("done");
        assertThat(caught.get()).isSameAs(boom);
        assertThat(calls.list()).containsExactly("a", "b", "undo b", "body caught boom");
    }

    @Test
    void handledStepFailureRollsBackNothingElse() throws Exception {
        Step a = Step.ok(calls, "a");
        Step b = Step.ok(calls, "b").failing(new IOException("b failed"));
        Step c = Step.ok(calls, "c");

        String result = executor.execute(Reversible.gen(saga -> {
            saga.run(a);
            try {
                saga.run(b);
            } catch (IOException handled) {
                // carry on
            }
            return saga.run(c);
        }));

        assertThat(result).isEqualTo("c");
        assertThat(calls.list()).containsExactly("a", "b", "undo b", "c");
        assertThat(a.backwardsCount).hasValue(0);
        assertThat(c.backwardsCount).hasValue(0);
    }

    @Test
    void checkedExceptionOfAStepReachesTheBodyAsTheSameInstance() throws Exception {
        IOException ioFailure = new IOException("io");
        AtomicReference<Throwable> caught = new AtomicReference<>();

        executor.execute(Reversible.gen(saga -> {
            try {
                return saga.run(Step.ok(calls, "a").failing(ioFailure));
            } catch (Exception e) {
                caught.set(e);
                return null;
            }
        }));

        assertThat(caught.get()).isSameAs(ioFailure);
    }

    @Test
    void failedStepWhoseCompensationFailsReachesTheBodyAsCompensationFailedException() throws Exception {
        IOException original = new IOException("forwards");
        IllegalStateException compensationFailure = new IllegalStateException("backwards");
        AtomicReference<Throwable> caught = new AtomicReference<>();

        String result = executor.execute(Reversible.gen(saga -> {
            saga.run(Step.ok(calls, "a"));
            try {
                saga.run(Step.ok(calls, "b").failing(original).compensationFailing(compensationFailure));
            } catch (CompensationFailedException e) {
                caught.set(e);
            }
            return saga.run(Step.ok(calls, "c"));
        }));

        // The body handled it: the saga carries on, nothing else is rolled back.
        assertThat(result).isEqualTo("c");
        assertThat(calls.list()).containsExactly("a", "b", "undo b", "c");
        CompensationFailedException incomplete = (CompensationFailedException) caught.get();
        assertThat(incomplete.getCause()).isSameAs(original);
        assertThat(incomplete.failures()).containsExactly(compensationFailure);
        assertThat(incomplete.pending()).containsExactly("b");
    }

    @Test
    void handledCompensationFailureFollowedByAnotherFailureRollsBackTheRestAndThrowsTheNewFailure() {
        IllegalStateException later = new IllegalStateException("later");
        Step b = Step.ok(calls, "b").failing(new IOException("b")).compensationFailing(new IllegalStateException("undo b"));

        Throwable thrown = thrownBy(() -> executor.execute(Reversible.gen(saga -> {
            saga.run(Step.ok(calls, "a"));
            try {
                saga.run(b);
            } catch (CompensationFailedException handled) {
                // the body accepts that b stays half-undone
            }
            saga.run(Step.ok(calls, "c"));
            throw later;
        })));

        assertThat(thrown).isSameAs(later);
        assertThat(calls.list()).containsExactly("a", "b", "undo b", "c", "undo c", "undo a");
        assertThat(b.backwardsCount).hasValue(1);
    }

    // ---- rule 7 -------------------------------------------------------------------------------

    @Test
    void exceptionLeavingTheBodyRollsBackEveryCompletedStepInExactReverseOrder() {
        IllegalStateException boom = new IllegalStateException("boom");

        Throwable thrown = thrownBy(() -> executor.execute(Reversible.gen(saga -> {
            for (String name : List.of("a", "b", "c", "d", "e")) {
                saga.run(Step.ok(calls, name));
            }
            throw boom;
        })));

        assertThat(thrown).isSameAs(boom);
        assertThat(calls.list()).containsExactly("a", "b", "c", "d", "e",
                "undo e", "undo d", "undo c", "undo b", "undo a");
    }

    @Test
    void unhandledStepFailureUndoesTheStepThenEveryCompletedStepThenPropagates() {
        IOException boom = new IOException("c failed");

        Throwable thrown = thrownBy(() -> executor.execute(Reversible.gen(saga -> {
            saga.run(Step.ok(calls, "a"));
            saga.run(Step.ok(calls, "b"));
            saga.run(Step.ok(calls, "c").failing(boom));
            return saga.run(Step.ok(calls, "never"));
        })));

        assertThat(thrown).isSameAs(boom);
        assertThat(calls.list()).containsExactly("a", "b", "c", "undo c", "undo b", "undo a");
    }

    @Test
    void compensationFailureDuringTheBodysRollbackThrowsCompensationFailedException() {
        IllegalStateException boom = new IllegalStateException("boom");
        IllegalStateException undoB = new IllegalStateException("undo b failed");

        Throwable thrown = thrownBy(() -> executor.execute(Reversible.gen(saga -> {
            saga.run(Step.ok(calls, "a"));
            saga.run(Step.ok(calls, "b").compensationFailing(undoB));
            saga.run(Step.ok(calls, "c"));
            throw boom;
        })));

        assertThat(thrown).isInstanceOf(CompensationFailedException.class).hasCauseReference(boom);
        assertThat(((CompensationFailedException) thrown).failures()).containsExactly(undoB);
    }

    // ---- rule 8 -------------------------------------------------------------------------------

    @Test
    void rollingBackTheOuterCompositeUndoesTheInnersStepsInReverseOrder() {
        CompositeAction<String> inner = Reversible.gen(saga -> saga.run(Step.ok(calls, "b")) + saga.run(Step.ok(calls, "c")));

        Throwable thrown = thrownBy(() -> executor.execute(Reversible.gen(saga -> {
            saga.run(Step.ok(calls, "a"));
            String bc = saga.run(inner);
            calls.add("inner returned " + bc);
            saga.run(Step.ok(calls, "d"));
            throw new IllegalStateException("outer fails");
        })));

        assertThat(thrown).hasMessage("outer fails");
        assertThat(calls.list()).containsExactly("a", "b", "c", "inner returned bc", "d",
                "undo d", "undo c", "undo b", "undo a");
    }

    @Test
    void failedInnerCompositeUndoesItsOwnStepsAndIsNeverUndoneAgain() throws Exception {
        IllegalStateException innerFailure = new IllegalStateException("inner fails");
        Step b = Step.ok(calls, "b");
        CompositeAction<String> inner = Reversible.gen(saga -> {
            saga.run(b);
            throw innerFailure;
        });
        AtomicReference<Throwable> caught = new AtomicReference<>();

        Throwable thrown = thrownBy(() -> executor.execute(Reversible.gen(saga -> {
            saga.run(Step.ok(calls, "a"));
            try {
                saga.run(inner);
            } catch (IllegalStateException e) {
                caught.set(e);
                calls.add("outer caught");
            }
            saga.run(Step.ok(calls, "c"));
            throw new IOException("outer fails later");
        })));

        assertThat(thrown).isInstanceOf(IOException.class);
        assertThat(caught.get()).isSameAs(innerFailure);
        assertThat(calls.list()).containsExactly("a", "b", "undo b", "outer caught", "c", "undo c", "undo a");
        assertThat(b.backwardsCount).hasValue(1);
    }

    @Test
    void innerFailurePropagatingThroughTheOuterUndoesEverythingOnceInReverseOrder() {
        IOException boom = new IOException("c failed");
        CompositeAction<Void> inner = Reversible.gen(saga -> {
            saga.run(Step.ok(calls, "b"));
            saga.run(Step.ok(calls, "c").failing(boom));
            return null;
        });

        Throwable thrown = thrownBy(() -> executor.execute(Reversible.gen(saga -> {
            saga.run(Step.ok(calls, "a"));
            saga.run(inner);
            return saga.run(Step.ok(calls, "never"));
        })));

        assertThat(thrown).isSameAs(boom);
        assertThat(calls.list()).containsExactly("a", "b", "c", "undo c", "undo b", "undo a");
    }

    @Test
    void deeplyNestedCompositesAreUndoneInExactReverseOrder() {
        int depth = 300;
        CompositeAction<Void> nested = Reversible.gen(saga -> {
            saga.run(Step.ok(calls, "leaf"));
            return null;
        });
        for (int level = depth - 1; level >= 0; level--) {
            CompositeAction<Void> inner = nested;
            String name = "level" + level;
            nested = Reversible.gen(saga -> {
                saga.run(Step.ok(calls, name));
                saga.run(inner);
                return null;
            });
        }
        CompositeAction<Void> top = nested;

        thrownBy(() -> executor.execute(Reversible.gen(saga -> {
            saga.run(top);
            throw new IllegalStateException("boom");
        })));

        List<String> expected = new ArrayList<>();
        for (int level = 0; level < depth; level++) {
            expected.add("level" + level);
        }
        expected.add("leaf");
        expected.add("undo leaf");
        for (int level = depth - 1; level >= 0; level--) {
            expected.add("undo level" + level);
        }
        assertThat(calls.list()).containsExactlyElementsOf(expected);
    }

    @Test
    void compositeRunTwiceInOneSagaIsUndoneTwiceInReverseOrder() {
        int[] run = {0};
        CompositeAction<Void> inner = Reversible.gen(saga -> {
            run[0]++;
            saga.run(Step.ok(calls, "x" + run[0]));
            saga.run(Step.ok(calls, "y" + run[0]));
            return null;
        });

        thrownBy(() -> executor.execute(Reversible.gen(saga -> {
            saga.run(inner);
            saga.run(Step.ok(calls, "between"));
            saga.run(inner);
            throw new IllegalStateException("boom");
        })));

        assertThat(calls.list()).containsExactly("x1", "y1", "between", "x2", "y2",
                "undo y2", "undo x2", "undo between", "undo y1", "undo x1");
    }

    @Test
    void compositeExecutedTwiceRunsIndependently() throws Exception {
        int[] run = {0};
        CompositeAction<Integer> composite = Reversible.gen(saga -> {
            run[0]++;
            saga.run(Step.ok(calls, "step" + run[0]));
            if (run[0] == 2) {
                throw new IllegalStateException("second run fails");
            }
            return run[0];
        });

        assertThat(executor.execute(composite)).isEqualTo(1);
        thrownBy(() -> executor.execute(composite));

        // The second run undoes only its own step; the first run's step stands.
        assertThat(calls.list()).containsExactly("step1", "step2", "undo step2");
    }

    @Test
    void scopeOfANestedCompositeBelongsToTheOutermostSaga() throws Exception {
        List<SagaInfo> infos = new ArrayList<>();
        CompositeAction<Void> inner = Reversible.gen(saga -> {
            infos.add(saga.saga());
            return null;
        });

        executor.execute(Reversible.gen(saga -> {
            infos.add(saga.saga());
            saga.run(inner);
            return null;
        }).named("outer"));

        assertThat(infos).hasSize(2);
        assertThat(infos.get(1)).isSameAs(infos.get(0));
        assertThat(infos.get(0).name()).isEqualTo("outer");
        assertThat(infos.get(0).id()).isNotBlank();
    }

    // ---- rule 9 -------------------------------------------------------------------------------

    @Test
    void stepNeverReachedIsNeverCalled() {
        Step never = Step.ok(calls, "never");

        thrownBy(() -> executor.execute(Reversible.gen(saga -> {
            saga.run(Step.ok(calls, "a").failing(new IllegalStateException("a")));
            return saga.run(never);
        })));

        assertThat(never.forwardsCount).hasValue(0);
        assertThat(never.backwardsCount).hasValue(0);
        assertThat(calls.list()).containsExactly("a", "undo a");
    }

    @Test
    void noBackwardsRunsTwiceForOneForwards() {
        Step a = Step.ok(calls, "a");
        Step b = Step.ok(calls, "b").failing(new IllegalStateException("b"));
        Step c = Step.ok(calls, "c");
        CompositeAction<Void> inner = Reversible.gen(saga -> {
            saga.run(a);
            try {
                saga.run(b);
            } catch (IllegalStateException handled) {
                // b was undone already
            }
            return null;
        });

        thrownBy(() -> executor.execute(Reversible.gen(saga -> {
            saga.run(inner);
            saga.run(c);
            throw new IllegalStateException("outer");
        })));

        assertThat(a.backwardsCount).hasValue(1);
        assertThat(b.backwardsCount).hasValue(1);
        assertThat(c.backwardsCount).hasValue(1);
        assertThat(calls.list()).containsExactly("a", "b", "undo b", "c", "undo c", "undo a");
    }

    @Test
    void sameActionInstanceRunTwiceIsUndoneOncePerForwards() {
        Step a = Step.ok(calls, "a");

        thrownBy(() -> executor.execute(Reversible.gen(saga -> {
            saga.run(a);
            saga.run(Step.ok(calls, "b"));
            saga.run(a);
            throw new IllegalStateException("boom");
        })));

        assertThat(a.forwardsCount).hasValue(2);
        assertThat(a.backwardsCount).hasValue(2);
        assertThat(calls.list()).containsExactly("a", "b", "a", "undo a", "undo b", "undo a");
    }

    // ---- closed scope -------------------------------------------------------------------------

    @Test
    void stepRunThroughAClosedScopeIsRefusedAndNeverCalled() throws Exception {
        AtomicReference<SagaScope> leaked = new AtomicReference<>();
        executor.execute(Reversible.gen(saga -> {
            leaked.set(saga);
            return null;
        }));
        Step late = Step.ok(calls, "late");

        Throwable thrown = thrownBy(() -> leaked.get().run(late));

        assertThat(thrown).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThat(late.forwardsCount).hasValue(0);
    }

    @Test
    void stepRunThroughTheScopeOfAFailedCompositeIsRefused() {
        AtomicReference<SagaScope> leaked = new AtomicReference<>();
        thrownBy(() -> executor.execute(Reversible.gen(saga -> {
            leaked.set(saga);
            saga.run(Step.ok(calls, "a"));
            throw new IllegalStateException("boom");
        })));
        Step late = Step.ok(calls, "late");

        assertThat(thrownBy(() -> leaked.get().run(late))).isInstanceOf(IllegalStateException.class);
        assertThat(calls.list()).containsExactly("a", "undo a");
    }

    @Test
    void scopeRefusesANullStep() {
        Throwable thrown = thrownBy(() -> executor.execute(Reversible.gen(saga -> saga.run(null))));

        assertThat(thrown).isInstanceOf(NullPointerException.class);
    }

    // ---- rollbackOn ---------------------------------------------------------------------------

    @Test
    void rejectedFailureKeepsTheCompletedStepsButTheFailedStepIsStillCompensated() {
        IOException rejected = new IOException("business outcome, not an error");
        CompositeAction<Void> composite = Reversible.<Void>gen(saga -> {
            saga.run(Step.ok(calls, "a"));
            saga.run(Step.ok(calls, "b"));
            saga.run(Step.ok(calls, "c").failing(rejected));
            return null;
        }).rollbackOn(e -> !(e instanceof IOException));

        Throwable thrown = thrownBy(() -> executor.execute(composite));

        assertThat(thrown).isSameAs(rejected);
        assertThat(calls.list()).containsExactly("a", "b", "c", "undo c");
    }

    @Test
    void rejectedFailureOfTheBodyItselfCompensatesNothing() {
        IOException rejected = new IOException("rejected");
        CompositeAction<Void> composite = Reversible.<Void>gen(saga -> {
            saga.run(Step.ok(calls, "a"));
            throw rejected;
        }).rollbackOn(e -> false);

        assertThat(thrownBy(() -> executor.execute(composite))).isSameAs(rejected);
        assertThat(calls.list()).containsExactly("a");
    }

    @Test
    void acceptedFailureStillRollsBack() {
        CompositeAction<Void> composite = Reversible.<Void>gen(saga -> {
            saga.run(Step.ok(calls, "a"));
            throw new IllegalStateException("accepted");
        }).rollbackOn(e -> e instanceof IllegalStateException);

        thrownBy(() -> executor.execute(composite));

        assertThat(calls.list()).containsExactly("a", "undo a");
    }

    @Test
    void enclosingCompositeThatRollsBackUndoesTheStepsARejectingInnerKept() {
        IOException rejected = new IOException("rejected by inner");
        CompositeAction<Void> inner = Reversible.<Void>gen(saga -> {
            saga.run(Step.ok(calls, "b"));
            saga.run(Step.ok(calls, "c").failing(rejected));
            return null;
        }).rollbackOn(e -> false);

        Throwable thrown = thrownBy(() -> executor.execute(Reversible.gen(saga -> {
            saga.run(Step.ok(calls, "a"));
            saga.run(inner);
            return null;
        })));

        assertThat(thrown).isSameAs(rejected);
        assertThat(calls.list()).containsExactly("a", "b", "c", "undo c", "undo b", "undo a");
    }

    @Test
    void stepsKeptByARejectingInnerAreUndoneInOrderWhenTheOuterFailsLater() {
        CompositeAction<Void> inner = Reversible.<Void>gen(saga -> {
            saga.run(Step.ok(calls, "b"));
            throw new IOException("rejected");
        }).rollbackOn(e -> false);

        thrownBy(() -> executor.execute(Reversible.gen(saga -> {
            saga.run(Step.ok(calls, "a"));
            try {
                saga.run(inner);
            } catch (IOException handled) {
                calls.add("outer caught");
            }
            saga.run(Step.ok(calls, "c"));
            throw new IllegalStateException("outer fails");
        })));

        assertThat(calls.list()).containsExactly("a", "b", "outer caught", "c", "undo c", "undo b", "undo a");
    }

    @Test
    void enclosingCompositeThatHandlesARejectedFailureKeepsEverything() throws Exception {
        CompositeAction<Void> inner = Reversible.<Void>gen(saga -> {
            saga.run(Step.ok(calls, "b"));
            throw new IOException("rejected");
        }).rollbackOn(e -> false);

        String result = executor.execute(Reversible.gen(saga -> {
            saga.run(Step.ok(calls, "a"));
            try {
                saga.run(inner);
            } catch (IOException handled) {
                return "handled";
            }
            return "not reached";
        }));

        assertThat(result).isEqualTo("handled");
        assertThat(calls.list()).containsExactly("a", "b");
    }

    @Test
    void rollbackOnPredicateSeesTheOriginalFailureBehindACompensationFailure() {
        IOException original = new IOException("original");
        List<Throwable> tested = new ArrayList<>();
        CompositeAction<Void> composite = Reversible.<Void>gen(saga -> {
            saga.run(Step.ok(calls, "a"));
            saga.run(Step.ok(calls, "b").failing(original).compensationFailing(new IllegalStateException("undo b")));
            return null;
        }).rollbackOn(e -> {
            tested.add(e);
            return false;
        });

        Throwable thrown = thrownBy(() -> executor.execute(composite));

        assertThat(tested).isNotEmpty().allSatisfy(e -> assertThat(e).isSameAs(original));
        assertThat(thrown).isInstanceOf(CompensationFailedException.class).hasCauseReference(original);
        assertThat(calls.list()).containsExactly("a", "b", "undo b");
    }

    @Test
    void namedAndRollbackOnMakeNewCompositesAndKeepEachOther() {
        CompositeAction<Void> base = Reversible.gen(saga -> {
            saga.run(Step.ok(calls, "a"));
            throw new IOException("rejected");
        });
        CompositeAction<Void> configured = base.rollbackOn(e -> false).named("keeper");

        assertThat(configured).isNotSameAs(base);
        assertThat(configured.name()).isEqualTo("keeper");
        assertThat(configured.toString()).contains("keeper");
        assertThat(base.name()).isEqualTo("saga");
        thrownBy(() -> executor.execute(configured));
        assertThat(calls.list()).containsExactly("a");
    }

    // ---- direct forwards() / backwards() --------------------------------------------------------

    @Test
    void directForwardsRunsTheBodyAndDirectBackwardsUndoesItsStepsInReverseOrder() throws Exception {
        CompositeAction<String> composite = Reversible.gen(saga -> saga.run(Step.ok(calls, "a")) + saga.run(Step.ok(calls, "b")));

        assertThat(composite.forwards()).isEqualTo("ab");
        composite.backwards();
        composite.backwards();   // nothing left the second time

        assertThat(calls.list()).containsExactly("a", "b", "undo b", "undo a");
    }

    @Test
    void directBackwardsAfterAFailedDirectForwardsDoesNothing() throws Exception {
        IllegalStateException boom = new IllegalStateException("boom");
        CompositeAction<Void> composite = Reversible.gen(saga -> {
            saga.run(Step.ok(calls, "a"));
            throw boom;
        });

        assertThat(thrownBy(composite::forwards)).isSameAs(boom);
        composite.backwards();

        assertThat(calls.list()).containsExactly("a", "undo a");
    }

    @Test
    void directBackwardsAfterAFailedForwardsNeverUndoesAnEarlierSuccessfulCall() throws Exception {
        int[] run = {0};
        CompositeAction<Void> composite = Reversible.gen(saga -> {
            run[0]++;
            saga.run(Step.ok(calls, "step" + run[0]));
            if (run[0] == 2) {
                throw new IllegalStateException("second call fails");
            }
            return null;
        });

        composite.forwards();
        thrownBy(composite::forwards);
        composite.backwards();   // the last call failed and undid its own step: nothing to do

        assertThat(calls.list()).containsExactly("step1", "step2", "undo step2");
    }

    @Test
    void directBackwardsWhoseCompensationFailsThrowsCompensationFailedException() throws Exception {
        IllegalStateException undoB = new IllegalStateException("undo b");
        CompositeAction<Void> composite = Reversible.gen(saga -> {
            saga.run(Step.ok(calls, "a"));
            saga.run(Step.ok(calls, "b").compensationFailing(undoB));
            return null;
        });
        composite.forwards();

        Throwable thrown = thrownBy(composite::backwards);

        assertThat(thrown).isInstanceOf(CompensationFailedException.class);
        CompensationFailedException incomplete = (CompensationFailedException) thrown;
        assertThat(incomplete.getCause()).isNull();
        assertThat(incomplete.failures()).containsExactly(undoB);
        assertThat(incomplete.pending()).containsExactly("b", "a");   // the default executor aborts
        assertThat(calls.list()).containsExactly("a", "b", "undo b");
    }

    @Test
    void compositeHiddenBehindAPlainActionIsUndoneAsAStep() {
        CompositeAction<String> composite = Reversible.gen(saga -> saga.run(Step.ok(calls, "b")) + saga.run(Step.ok(calls, "c")));
        Action<String> wrapper = new Action<>() {
            @Override
            public String forwards() throws Exception {
                return composite.forwards();
            }

            @Override
            public void backwards() throws Exception {
                composite.backwards();
            }

            @Override
            public String name() {
                return "wrapper";
            }
        };

        thrownBy(() -> executor.execute(Reversible.gen(saga -> {
            saga.run(Step.ok(calls, "a"));
            saga.run(wrapper);
            throw new IllegalStateException("boom");
        })));

        assertThat(calls.list()).containsExactly("a", "b", "c", "undo c", "undo b", "undo a");
    }

    @Test
    void failingCompositeHiddenBehindAPlainActionIsNotUndoneTwice() {
        IOException boom = new IOException("c failed");
        CompositeAction<String> composite = Reversible.gen(saga -> saga.run(Step.ok(calls, "b")) + saga.run(Step.ok(calls, "c").failing(boom)));
        Action<String> wrapper = new Action<>() {
            @Override
            public String forwards() throws Exception {
                return composite.forwards();
            }

            @Override
            public void backwards() throws Exception {
                calls.add("wrapper backwards");
                composite.backwards();
            }
        };

        Throwable thrown = thrownBy(() -> executor.execute(Reversible.gen(saga -> {
            saga.run(Step.ok(calls, "a"));
            return saga.run(wrapper);
        })));

        assertThat(thrown).isSameAs(boom);
        assertThat(calls.list()).containsExactly("a", "b", "c", "undo c", "undo b", "wrapper backwards", "undo a");
    }
}
