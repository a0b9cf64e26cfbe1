package dev.reversible.core;

import static dev.reversible.core.Failures.thrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Rule 10: {@link RollbackPolicy#ABORT}, {@link RollbackPolicy#CONTINUE} and compensation retry, synchronously. */
class RollbackPolicyTests {

    private final Calls calls = new Calls();
    private final SagaExecutor abort = Reversible.executor().rollbackPolicy(RollbackPolicy.ABORT).build();
    private final SagaExecutor keepGoing = Reversible.executor().rollbackPolicy(RollbackPolicy.CONTINUE).build();

    private final IOException original = new IOException("original");
    private final IllegalStateException undoBFailed = new IllegalStateException("undo b failed");
    private final IllegalStateException undoDFailed = new IllegalStateException("undo d failed");

    private static CompensationFailedException incomplete(Throwable thrown) {
        assertThat(thrown).isInstanceOf(CompensationFailedException.class);
        return (CompensationFailedException) thrown;
    }

    // ---- ABORT ----------------------------------------------------------------------------------

    @Test
    void abortStopsAtTheFirstFailingCompensationAndListsWhatWasLeft() {
        Throwable thrown = thrownBy(() -> abort.execute(Reversible.gen(saga -> {
            saga.run(Step.ok(calls, "a"));
            saga.run(Step.ok(calls, "b").compensationFailing(undoBFailed));
            saga.run(Step.ok(calls, "c"));
            saga.run(Step.ok(calls, "d").failing(original));
            return null;
        })));

        CompensationFailedException e = incomplete(thrown);
        assertThat(calls.list()).containsExactly("a", "b", "c", "d", "undo d", "undo c", "undo b");
        assertThat(e.getCause()).isSameAs(original);
        assertThat(e.failures()).containsExactly(undoBFailed);
        assertThat(e.pending()).containsExactly("b", "a");
    }

    @Test
    void abortStopsWhenTheFailedStepsOwnCompensationFails() {
        Throwable thrown = thrownBy(() -> abort.execute(Reversible.gen(saga -> {
            saga.run(Step.ok(calls, "a"));
            saga.run(Step.ok(calls, "b"));
            saga.run(Step.ok(calls, "c"));
            saga.run(Step.ok(calls, "d").failing(original).compensationFailing(undoDFailed));
            return null;
        })));

        CompensationFailedException e = incomplete(thrown);
        assertThat(calls.list()).containsExactly("a", "b", "c", "d", "undo d");
        assertThat(e.getCause()).isSameAs(original);
        assertThat(e.failures()).containsExactly(undoDFailed);
        assertThat(e.pending()).containsExactly("d", "c", "b", "a");
    }

    @Test
    void abortWhenTheBodyFailsOutsideAnyStep() {
        Throwable thrown = thrownBy(() -> abort.execute(Reversible.gen(saga -> {
            saga.run(Step.ok(calls, "a"));
            saga.run(Step.ok(calls, "b").compensationFailing(undoBFailed));
            saga.run(Step.ok(calls, "c"));
            throw original;
        })));

        CompensationFailedException e = incomplete(thrown);
        assertThat(calls.list()).containsExactly("a", "b", "c", "undo c", "undo b");
        assertThat(e.pending()).containsExactly("b", "a");
    }

    @Test
    void abortListsTheFailedStepThenTheRemainingStepsFlattenedThroughNestedComposites() {
        CompositeAction<Void> inner = Reversible.gen(saga -> {
            saga.run(Step.ok(calls, "b"));
            saga.run(Step.ok(calls, "c"));
            return null;
        });
        CompositeAction<Void> deeper = Reversible.gen(saga -> {
            saga.run(Step.ok(calls, "x"));
            saga.run(Reversible.gen(s -> s.run(Step.ok(calls, "y"))));
            return null;
        });

        Throwable thrown = thrownBy(() -> abort.execute(Reversible.gen(saga -> {
            saga.run(Step.ok(calls, "a"));
            saga.run(inner);
            saga.run(deeper);
            saga.run(Step.ok(calls, "d").failing(original).compensationFailing(undoDFailed));
            return null;
        })));

        CompensationFailedException e = incomplete(thrown);
        assertThat(calls.list()).containsExactly("a", "b", "c", "x", "y", "d", "undo d");
        assertThat(e.pending()).containsExactly("d", "y", "x", "c", "b", "a");
        assertThat(e.failures()).containsExactly(undoDFailed);
        assertThat(e.getCause()).isSameAs(original);
    }

    @Test
    void abortInsideANestedCompositeStopsTheOutersRollbackToo() {
        CompositeAction<Void> inner = Reversible.gen(saga -> {
            saga.run(Step.ok(calls, "b").compensationFailing(undoBFailed));
            saga.run(Step.ok(calls, "c"));
            saga.run(Step.ok(calls, "d").failing(original));
            return null;
        });

        Throwable thrown = thrownBy(() -> abort.execute(Reversible.gen(saga -> {
            saga.run(Step.ok(calls, "a"));
            saga.run(inner);
            return null;
        })));

        CompensationFailedException e = incomplete(thrown);
        assertThat(calls.list()).containsExactly("a", "b", "c", "d", "undo d", "undo c", "undo b");
        assertThat(e.pending()).containsExactly("b", "a");
        assertThat(e.failures()).containsExactly(undoBFailed);
        assertThat(e.getCause()).isSameAs(original);
    }

    @Test
    void abortDuringTheOutersRollbackOfACompletedNestedComposite() {
        CompositeAction<Void> inner = Reversible.gen(saga -> {
            saga.run(Step.ok(calls, "b"));
            saga.run(Step.ok(calls, "c").compensationFailing(undoBFailed));
            return null;
        });

        Throwable thrown = thrownBy(() -> abort.execute(Reversible.gen(saga -> {
            saga.run(Step.ok(calls, "a"));
            saga.run(inner);
            saga.run(Step.ok(calls, "d"));
            throw original;
        })));

        CompensationFailedException e = incomplete(thrown);
        assertThat(calls.list()).containsExactly("a", "b", "c", "d", "undo d", "undo c");
        assertThat(e.pending()).containsExactly("c", "b", "a");
    }

    @Test
    void abortCarriesOnThroughACompensationFailedExceptionTheBodyCaughtAndRethrew() {
        Throwable thrown = thrownBy(() -> abort.execute(Reversible.gen(saga -> {
            saga.run(Step.ok(calls, "a"));
            CompensationFailedException remembered;
            try {
                saga.run(Step.ok(calls, "b").failing(original).compensationFailing(undoBFailed));
                return null;
            } catch (CompensationFailedException e) {
                remembered = e;
            }
            saga.run(Step.ok(calls, "c"));
            throw remembered;
        })));

        CompensationFailedException e = incomplete(thrown);
        // b's compensation failed: under ABORT, nothing else is compensated.
        assertThat(calls.list()).containsExactly("a", "b", "undo b", "c");
        assertThat(e.pending()).containsExactly("b", "c", "a");
        assertThat(e.getCause()).isSameAs(original);
    }

    @Test
    void abortStopsTheOuterRollbackWhenARejectingInnersFailedStepCouldNotBeUndone() {
        CompositeAction<Void> inner = Reversible.<Void>gen(saga -> {
            saga.run(Step.ok(calls, "b"));
            saga.run(Step.ok(calls, "c").failing(original).compensationFailing(undoDFailed));
            return null;
        }).rollbackOn(e -> false);

        Throwable thrown = thrownBy(() -> abort.execute(Reversible.gen(saga -> {
            saga.run(Step.ok(calls, "a"));
            saga.run(inner);
            return null;
        })));

        CompensationFailedException e = incomplete(thrown);
        assertThat(calls.list()).containsExactly("a", "b", "c", "undo c");
        assertThat(e.pending()).containsExactly("c", "b", "a");
        assertThat(e.getCause()).isSameAs(original);
    }

    // ---- CONTINUE -------------------------------------------------------------------------------

    @Test
    void continueRunsEveryRemainingCompensationAndCollectsEveryFailure() {
        IllegalStateException undoCFailed = new IllegalStateException("undo c failed");

        Throwable thrown = thrownBy(() -> keepGoing.execute(Reversible.gen(saga -> {
            saga.run(Step.ok(calls, "a"));
            saga.run(Step.ok(calls, "b").compensationFailing(undoBFailed));
            saga.run(Step.ok(calls, "c").compensationFailing(undoCFailed));
            saga.run(Step.ok(calls, "d").failing(original));
            return null;
        })));

        CompensationFailedException e = incomplete(thrown);
        assertThat(calls.list()).containsExactly("a", "b", "c", "d", "undo d", "undo c", "undo b", "undo a");
        assertThat(e.getCause()).isSameAs(original);
        assertThat(e.failures()).containsExactly(undoCFailed, undoBFailed);
        assertThat(e.getSuppressed()).containsExactly(undoCFailed, undoBFailed);
        assertThat(e.pending()).containsExactly("c", "b");
    }

    @Test
    void continueCarriesOnAfterTheFailedStepsOwnCompensationFails() {
        Throwable thrown = thrownBy(() -> keepGoing.execute(Reversible.gen(saga -> {
            saga.run(Step.ok(calls, "a"));
            saga.run(Step.ok(calls, "b").compensationFailing(undoBFailed));
            saga.run(Step.ok(calls, "c"));
            saga.run(Step.ok(calls, "d").failing(original).compensationFailing(undoDFailed));
            return null;
        })));

        CompensationFailedException e = incomplete(thrown);
        assertThat(calls.list()).containsExactly("a", "b", "c", "d", "undo d", "undo c", "undo b", "undo a");
        assertThat(e.failures()).containsExactly(undoDFailed, undoBFailed);
        assertThat(e.pending()).containsExactly("d", "b");
        assertThat(e.getCause()).isSameAs(original);
    }

    @Test
    void continueCollectsFailuresFromNestedCompositesInRollbackOrder() {
        IllegalStateException undoXFailed = new IllegalStateException("undo x failed");
        CompositeAction<Void> inner = Reversible.gen(saga -> {
            saga.run(Step.ok(calls, "x").compensationFailing(undoXFailed));
            saga.run(Step.ok(calls, "y"));
            saga.run(Step.ok(calls, "z").failing(original).compensationFailing(undoDFailed));
            return null;
        });

        Throwable thrown = thrownBy(() -> keepGoing.execute(Reversible.gen(saga -> {
            saga.run(Step.ok(calls, "a"));
            saga.run(Step.ok(calls, "b").compensationFailing(undoBFailed));
            saga.run(inner);
            return null;
        })));

        CompensationFailedException e = incomplete(thrown);
        assertThat(calls.list()).containsExactly("a", "b", "x", "y", "z",
                "undo z", "undo y", "undo x", "undo b", "undo a");
        assertThat(e.failures()).containsExactly(undoDFailed, undoXFailed, undoBFailed);
        assertThat(e.pending()).containsExactly("z", "x", "b");
        assertThat(e.getCause()).isSameAs(original);
    }

    @Test
    void continueWithEveryCompensationSucceedingRethrowsTheOriginal() {
        Throwable thrown = thrownBy(() -> keepGoing.execute(Reversible.gen(saga -> {
            saga.run(Step.ok(calls, "a"));
            saga.run(Step.ok(calls, "b").failing(original));
            return null;
        })));

        assertThat(thrown).isSameAs(original);
        assertThat(calls.list()).containsExactly("a", "b", "undo b", "undo a");
    }

    // ---- compensation retry ---------------------------------------------------------------------

    @Test
    void retriedCompensationThatSucceedsOnTheThirdAttemptCountsAsCompensated() {
        SagaExecutor executor = Reversible.executor().compensationRetry(3, Duration.ofMillis(1)).build();
        Step b = Step.ok(calls, "b").compensationFailingFirst(new IllegalStateException("1"), new IllegalStateException("2"));

        Throwable thrown = thrownBy(() -> executor.execute(Reversible.gen(saga -> {
            saga.run(Step.ok(calls, "a"));
            saga.run(b);
            throw original;
        })));

        assertThat(thrown).isSameAs(original);
        assertThat(b.backwardsCount).hasValue(3);
        assertThat(calls.list()).containsExactly("a", "b", "undo b", "undo b", "undo b", "undo a");
    }

    @Test
    void compensationFailingEveryAttemptIsCalledExactlyMaxAttemptsTimesAndReportsTheLastFailure() {
        SagaExecutor executor = Reversible.executor().compensationRetry(4, Duration.ZERO).build();
        IllegalStateException last = new IllegalStateException("4");
        Step b = Step.ok(calls, "b").compensationFailingFirst(new IllegalStateException("1"), new IllegalStateException("2"),
                new IllegalStateException("3"), last, new IllegalStateException("5"));

        Throwable thrown = thrownBy(() -> executor.execute(Reversible.gen(saga -> {
            saga.run(Step.ok(calls, "a"));
            saga.run(b);
            throw original;
        })));

        CompensationFailedException e = incomplete(thrown);
        assertThat(b.backwardsCount).hasValue(4);
        assertThat(e.failures()).containsExactly(last);
        assertThat(e.pending()).containsExactly("b", "a");
        assertThat(calls.list()).containsExactly("a", "b", "undo b", "undo b", "undo b", "undo b");
    }

    @Test
    void withoutRetryACompensationIsAttemptedOnce() {
        Step b = Step.ok(calls, "b").compensationFailing(undoBFailed);

        thrownBy(() -> abort.execute(Reversible.gen(saga -> {
            saga.run(b);
            throw original;
        })));

        assertThat(b.backwardsCount).hasValue(1);
    }

    @Test
    void failedStepsOwnCompensationIsRetriedToo() {
        SagaExecutor executor = Reversible.executor().compensationRetry(2, Duration.ofMillis(1)).build();
        Step a = Step.ok(calls, "a").failing(original).compensationFailingFirst(new IllegalStateException("first"));

        Throwable thrown = thrownBy(() -> executor.execute(a));

        assertThat(thrown).isSameAs(original);
        assertThat(a.backwardsCount).hasValue(2);
    }

    @Test
    void attemptAwareActionReceivesOneTwoThree() {
        SagaExecutor executor = Reversible.executor().compensationRetry(3, Duration.ofMillis(1)).build();
        List<Integer> attempts = new ArrayList<>();
        AttemptAwareAction<String> refund = new AttemptAwareAction<>() {
            @Override
            public String forwards() throws Exception {
                throw original;
            }

            @Override
            public void backwards(int attempt) {
                attempts.add(attempt);
                throw new IllegalStateException("attempt " + attempt);
            }
        };

        Throwable thrown = thrownBy(() -> executor.execute(refund));

        assertThat(attempts).containsExactly(1, 2, 3);
        assertThat(incomplete(thrown).failures()).singleElement()
                .satisfies(failure -> assertThat(failure).hasMessage("attempt 3"));
    }

    @Test
    void attemptAwareActionStopsBeingCalledOnceItSucceeds() {
        SagaExecutor executor = Reversible.executor().compensationRetry(5, Duration.ZERO).build();
        List<Integer> attempts = new ArrayList<>();
        AttemptAwareAction<String> refund = new AttemptAwareAction<>() {
            @Override
            public String forwards() throws Exception {
                throw original;
            }

            @Override
            public void backwards(int attempt) {
                attempts.add(attempt);
                if (attempt < 2) {
                    throw new IllegalStateException("attempt " + attempt);
                }
            }
        };

        assertThat(thrownBy(() -> executor.execute(refund))).isSameAs(original);
        assertThat(attempts).containsExactly(1, 2);
    }

    @Test
    void attemptAwareActionsPlainBackwardsIsAFirstAttempt() throws Exception {
        List<Integer> attempts = new ArrayList<>();
        AttemptAwareAction<String> refund = new AttemptAwareAction<>() {
            @Override
            public String forwards() {
                return "charged";
            }

            @Override
            public void backwards(int attempt) {
                attempts.add(attempt);
            }
        };

        refund.backwards();

        assertThat(attempts).containsExactly(1);
    }

    @Test
    void retryThenContinueRunsEveryCompensationWithItsOwnAttempts() {
        SagaExecutor executor = Reversible.executor().rollbackPolicy(RollbackPolicy.CONTINUE)
                .compensationRetry(2, Duration.ZERO).build();
        Step a = Step.ok(calls, "a").compensationFailing(new IllegalStateException("undo a"));
        Step b = Step.ok(calls, "b").compensationFailing(undoBFailed);

        Throwable thrown = thrownBy(() -> executor.execute(Reversible.gen(saga -> {
            saga.run(a);
            saga.run(b);
            throw original;
        })));

        assertThat(calls.list()).containsExactly("a", "b", "undo b", "undo b", "undo a", "undo a");
        assertThat(incomplete(thrown).pending()).containsExactly("b", "a");
    }

    @Test
    void interruptDuringBackoffStopsRetryingAndKeepsTheInterrupt() {
        SagaExecutor executor = Reversible.executor().compensationRetry(5, Duration.ofMinutes(1)).build();
        Step a = Step.ok(calls, "a").failing(original).compensationFailing(undoBFailed);

        Thread.currentThread().interrupt();
        Throwable thrown;
        boolean stillInterrupted;
        try {
            thrown = thrownBy(() -> executor.execute(a));
        } finally {
            stillInterrupted = Thread.interrupted();   // clears the flag for the next tests
        }

        assertThat(stillInterrupted).isTrue();
        assertThat(a.backwardsCount).hasValue(1);
        assertThat(incomplete(thrown).failures()).containsExactly(undoBFailed);
    }
}
