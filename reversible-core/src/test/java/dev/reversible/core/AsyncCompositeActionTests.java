package dev.reversible.core;

import static dev.reversible.core.Failures.failureOf;
import static dev.reversible.core.Failures.thrownBy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Rule 12: {@code genAsync} and {@code executeAsync} keep rules 1–10, with compensations one after another. */
class AsyncCompositeActionTests {

    private static final Duration BOUND = Duration.ofSeconds(10);

    private final Calls calls = new Calls();
    private final SagaExecutor executor = Reversible.executor().build();
    private final IOException original = new IOException("original");
    private final ExecutorService pool = Executors.newFixedThreadPool(2);

    @AfterEach
    void stopPool() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    private static <T> CompletableFuture<T> failed(Throwable failure) {
        return CompletableFuture.failedFuture(failure);
    }

    // ---- rules 1, 2, 5 --------------------------------------------------------------------------

    @Test
    void resultsReachTheBodyAndTheBodysResultIsTheSagas() {
        CompletableFuture<String> future = executor.executeAsync(Reversible.genAsync(saga -> saga.run(AsyncStep.ok(calls, "a"))
                .thenCompose(a -> saga.run(AsyncStep.ok(calls, "b")).thenApply(b -> a + b))));

        assertThat(future.join()).isEqualTo("ab");
        assertThat(calls.list()).containsExactly("a", "b");
    }

    @Test
    void emptyBodyIsAValidAsyncAction() {
        AsyncCompositeAction<String> constant = Reversible.genAsync(saga -> CompletableFuture.completedFuture("nothing"));
        AsyncCompositeAction<Object> nullStage = Reversible.genAsync(saga -> null);

        assertThat(executor.executeAsync(constant).join()).isEqualTo("nothing");
        assertThat(executor.executeAsync(nullStage).join()).isNull();
    }

    @Test
    void futureFailsWithTheOriginalInstanceCheckedOrNot() {
        CompletableFuture<String> future = executor.executeAsync(Reversible.genAsync(saga -> saga.run(AsyncStep.ok(calls, "a"))
                .thenCompose(a -> failed(original))));

        assertThat(future).isCompletedExceptionally();
        assertThat(failureOf(future)).isSameAs(original);
        assertThat(calls.list()).containsExactly("a", "undo a");
    }

    @Test
    void bodyThrowingBeforeReturningAStageRollsBackWhatItStarted() {
        CompletableFuture<String> future = executor.executeAsync(Reversible.genAsync(saga -> {
            saga.run(AsyncStep.ok(calls, "a"));
            saga.run(Step.ok(calls, "b"));
            throw original;
        }));

        assertThat(failureOf(future)).isSameAs(original);
        assertThat(calls.list()).containsExactly("a", "b", "undo b", "undo a");
    }

    @Test
    void asyncStepWhoseForwardsThrowsInsteadOfReturningAStageIsCompensatedToo() {
        AsyncAction<String> throwing = new AsyncAction<>() {
            @Override
            public CompletionStage<String> forwards() {
                calls.add("throwing");
                throw new IllegalStateException("thrown, not returned");
            }

            @Override
            public CompletionStage<?> backwards() {
                calls.add("undo throwing");
                return null;   // null counts as already done
            }
        };

        CompletableFuture<String> future = executor.executeAsync(Reversible.genAsync(saga -> saga.run(AsyncStep.ok(calls, "a"))
                .thenCompose(a -> saga.run(throwing))));

        assertThat(failureOf(future)).isInstanceOf(IllegalStateException.class).hasMessage("thrown, not returned");
        assertThat(calls.list()).containsExactly("a", "throwing", "undo throwing", "undo a");
    }

    // ---- rule 6 ---------------------------------------------------------------------------------

    @Test
    void failedAsyncStepIsCompensatedBeforeItsStageFailsAndTheBodyGetsTheSameInstance() {
        CompletableFuture<Void> undoB = new CompletableFuture<>();
        AsyncStep b = AsyncStep.ok(calls, "b").failing(original).backwardsReturning(undoB);
        AtomicReference<CompletionStage<String>> bStage = new AtomicReference<>();
        AtomicReference<Throwable> seenByBody = new AtomicReference<>();

        CompletableFuture<String> future = executor.executeAsync(Reversible.genAsync(saga -> saga.run(AsyncStep.ok(calls, "a"))
                .thenCompose(a -> {
                    CompletionStage<String> stage = saga.run(b);
                    bStage.set(stage);
                    return stage.handle((value, failure) -> {
                        seenByBody.set(failure);
                        calls.add("body handled");
                        return "recovered";
                    });
                })));

        // b's compensation is still running: its stage has not failed yet, so the body has not seen it.
        assertThat(calls.list()).containsExactly("a", "b", "undo b");
        assertThat(bStage.get().toCompletableFuture()).isNotDone();
        assertThat(future).isNotDone();

        undoB.complete(null);

        await().atMost(BOUND).until(future::isDone);
        assertThat(future.join()).isEqualTo("recovered");
        assertThat(seenByBody.get()).isSameAs(original);
        // A handled failure rolls back nothing else: a stands.
        assertThat(calls.list()).containsExactly("a", "b", "undo b", "body handled");
    }

    @Test
    void failedAsyncStepWhoseCompensationFailsReachesTheBodyAsCompensationFailedException() {
        IllegalStateException undoFailed = new IllegalStateException("undo b failed");
        AtomicReference<Throwable> seenByBody = new AtomicReference<>();

        CompletableFuture<String> future = executor.executeAsync(Reversible.genAsync(saga -> saga
                .run(AsyncStep.ok(calls, "b").failing(original).compensationFailing(undoFailed, 1))
                .exceptionally(e -> {
                    seenByBody.set(e);
                    return "handled";
                })));

        assertThat(future.join()).isEqualTo("handled");
        assertThat(seenByBody.get()).isInstanceOf(CompensationFailedException.class).hasCauseReference(original);
        assertThat(((CompensationFailedException) seenByBody.get()).pending()).containsExactly("b");
        assertThat(((CompensationFailedException) seenByBody.get()).failures()).containsExactly(undoFailed);
    }

    // ---- rule 7 and 12: order and sequence of compensations ---------------------------------------

    @Test
    void compensationsRunInReverseOrderOfTheStepsStartNotOfTheirCompletion() {
        CompletableFuture<String> fa = new CompletableFuture<>();
        CompletableFuture<String> fb = new CompletableFuture<>();
        CompletableFuture<String> fc = new CompletableFuture<>();

        CompletableFuture<Void> future = executor.executeAsync(Reversible.genAsync(saga -> {
            CompletableFuture<String> a = saga.run(AsyncStep.ok(calls, "a").forwardsReturning(fa)).toCompletableFuture();
            CompletableFuture<String> b = saga.run(AsyncStep.ok(calls, "b").forwardsReturning(fb)).toCompletableFuture();
            CompletableFuture<String> c = saga.run(AsyncStep.ok(calls, "c").forwardsReturning(fc)).toCompletableFuture();
            return CompletableFuture.allOf(a, b, c).thenCompose(all -> failed(original));
        }));
        fc.complete("c");
        fa.complete("a");
        assertThat(future).isNotDone();
        fb.complete("b");

        await().atMost(BOUND).until(future::isDone);
        assertThat(failureOf(future)).isSameAs(original);
        assertThat(calls.list()).containsExactly("a", "b", "c", "undo c", "undo b", "undo a");
    }

    @Test
    void compensationsRunOneAfterAnotherAndTheFutureCompletesOnlyAfterTheLast() {
        CompletableFuture<Void> undoA = new CompletableFuture<>();
        CompletableFuture<Void> undoB = new CompletableFuture<>();
        CompletableFuture<Void> undoC = new CompletableFuture<>();

        CompletableFuture<String> future = executor.executeAsync(Reversible.genAsync(saga -> saga
                .run(AsyncStep.ok(calls, "a").backwardsReturning(undoA))
                .thenCompose(x -> saga.run(AsyncStep.ok(calls, "b").backwardsReturning(undoB)))
                .thenCompose(x -> saga.run(AsyncStep.ok(calls, "c").backwardsReturning(undoC)))
                .thenCompose(x -> failed(original))));

        await().atMost(BOUND).until(() -> calls.contains("undo c"));
        assertThat(calls.list()).containsExactly("a", "b", "c", "undo c");   // b waits for c's compensation
        assertThat(future).isNotDone();

        undoC.complete(null);
        await().atMost(BOUND).until(() -> calls.contains("undo b"));
        assertThat(calls.list()).containsExactly("a", "b", "c", "undo c", "undo b");
        assertThat(future).isNotDone();

        undoB.complete(null);
        await().atMost(BOUND).until(() -> calls.contains("undo a"));
        assertThat(future).isNotDone();

        undoA.complete(null);
        await().atMost(BOUND).until(future::isDone);
        assertThat(failureOf(future)).isSameAs(original);
        assertThat(calls.list()).containsExactly("a", "b", "c", "undo c", "undo b", "undo a");
    }

    @Test
    void compensationsCompletingOnOtherThreadsNeverOverlap() {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        List<Integer> undone = new ArrayList<>();
        int steps = 50;
        class PooledStep implements AsyncAction<Integer> {
            final int index;

            PooledStep(int index) {
                this.index = index;
            }

            @Override
            public CompletionStage<Integer> forwards() {
                return CompletableFuture.supplyAsync(() -> index, pool);
            }

            @Override
            public CompletionStage<?> backwards() {
                if (inFlight.getAndIncrement() != 0) {
                    overlaps.incrementAndGet();
                }
                return CompletableFuture.runAsync(() -> {
                    synchronized (undone) {
                        undone.add(index);
                    }
                    inFlight.decrementAndGet();
                }, pool);
            }
        }

        CompletableFuture<Object> future = executor.executeAsync(Reversible.genAsync(saga -> {
            CompletableFuture<?> chain = CompletableFuture.completedFuture(null);
            for (int i = 0; i < steps; i++) {
                int index = i;
                chain = chain.thenCompose(x -> saga.run(new PooledStep(index)));
            }
            return chain.thenCompose(x -> failed(original));
        }));

        await().atMost(BOUND).until(future::isDone);
        assertThat(failureOf(future)).isSameAs(original);
        assertThat(overlaps).hasValue(0);
        List<Integer> expected = new ArrayList<>();
        for (int i = steps - 1; i >= 0; i--) {
            expected.add(i);
        }
        synchronized (undone) {
            assertThat(undone).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void bodyFailingWhileAStepIsStillRunningWaitsForItThenCompensatesIt() {
        CompletableFuture<String> slow = new CompletableFuture<>();

        CompletableFuture<String> future = executor.executeAsync(Reversible.genAsync(saga -> {
            saga.run(AsyncStep.ok(calls, "a"));
            saga.run(AsyncStep.ok(calls, "slow").forwardsReturning(slow));
            return failed(original);
        }));

        assertThat(future).isNotDone();
        assertThat(calls.list()).containsExactly("a", "slow");

        slow.complete("done at last");

        await().atMost(BOUND).until(future::isDone);
        assertThat(failureOf(future)).isSameAs(original);
        assertThat(calls.list()).containsExactly("a", "slow", "undo slow", "undo a");
    }

    @Test
    void successfulBodyStillWaitsForTheStepsItStartedBeforeTheSagaCompletes() {
        CompletableFuture<String> slow = new CompletableFuture<>();

        CompletableFuture<String> future = executor.executeAsync(Reversible.genAsync(saga -> {
            saga.run(AsyncStep.ok(calls, "slow").forwardsReturning(slow));
            return CompletableFuture.completedFuture("body done");
        }));
        assertThat(future).isNotDone();
        slow.complete("slow");

        await().atMost(BOUND).until(future::isDone);
        assertThat(future.join()).isEqualTo("body done");
        assertThat(calls.list()).containsExactly("slow");
    }

    @Test
    void ownCompensationOfAParallelStepFinishesBeforeTheRollbackOfTheOthersStarts() {
        CompletableFuture<String> fa = new CompletableFuture<>();
        CompletableFuture<Void> undoA = new CompletableFuture<>();
        IllegalStateException aFailed = new IllegalStateException("a failed");

        CompletableFuture<String> future = executor.executeAsync(Reversible.genAsync(saga -> {
            saga.run(AsyncStep.ok(calls, "a").forwardsReturning(fa).backwardsReturning(undoA));
            saga.run(AsyncStep.ok(calls, "b"));
            return failed(original);
        }));
        fa.completeExceptionally(aFailed);

        await().atMost(BOUND).until(() -> calls.contains("undo a"));
        assertThat(calls.list()).containsExactly("a", "b", "undo a");   // b's compensation waits for a's
        assertThat(future).isNotDone();
        undoA.complete(null);

        await().atMost(BOUND).until(future::isDone);
        assertThat(failureOf(future)).isSameAs(original);
        assertThat(calls.list()).containsExactly("a", "b", "undo a", "undo b");
    }

    @Test
    void stepStartedFromAnotherThreadIsWaitedForEvenWhileItsForwardsIsStillStartingIt() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AsyncAction<String> slowToStart = new AsyncAction<>() {
            @Override
            public CompletionStage<String> forwards() {
                entered.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                calls.add("slowToStart");
                return CompletableFuture.completedFuture("started");
            }

            @Override
            public CompletionStage<?> backwards() {
                calls.add("undo slowToStart");
                return null;
            }
        };

        CompletableFuture<String> future = executor.executeAsync(Reversible.genAsync(saga -> {
            pool.execute(() -> saga.run(slowToStart));
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            return failed(original);
        }));

        // The step has started (its forwards is running): the saga must not roll back without it.
        assertThat(future).isNotDone();
        release.countDown();

        await().atMost(BOUND).until(future::isDone);
        assertThat(failureOf(future)).isSameAs(original);
        assertThat(calls.list()).containsExactly("slowToStart", "undo slowToStart");
    }

    @Test
    void syncStepStartedFromAnotherThreadIsWaitedForToo() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Action<String> slowSync = new Action<>() {
            @Override
            public String forwards() throws Exception {
                entered.countDown();
                release.await(10, TimeUnit.SECONDS);
                calls.add("slowSync");
                return "done";
            }

            @Override
            public void backwards() {
                calls.add("undo slowSync");
            }
        };

        CompletableFuture<String> future = executor.executeAsync(Reversible.genAsync(saga -> {
            pool.execute(() -> saga.run(slowSync));
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            return failed(original);
        }));

        assertThat(future).isNotDone();
        release.countDown();

        await().atMost(BOUND).until(future::isDone);
        assertThat(failureOf(future)).isSameAs(original);
        assertThat(calls.list()).containsExactly("slowSync", "undo slowSync");
    }

    @Test
    void stepStartedByACallbackOfAnotherStepIsStillPartOfTheSaga() {
        CompletableFuture<String> fa = new CompletableFuture<>();

        CompletableFuture<String> future = executor.executeAsync(Reversible.genAsync(saga -> {
            saga.run(AsyncStep.ok(calls, "a").forwardsReturning(fa)).thenRun(() -> saga.run(Step.ok(calls, "started by a")));
            return failed(original);
        }));
        fa.complete("a");

        await().atMost(BOUND).until(future::isDone);
        assertThat(failureOf(future)).isSameAs(original);
        assertThat(calls.list()).containsExactly("a", "started by a", "undo started by a", "undo a");
    }

    // ---- sync steps inside genAsync -------------------------------------------------------------

    @Test
    void syncStepsRunInsideGenAsyncAndAreUndoneInStartOrderWithTheAsyncOnes() {
        CompletableFuture<String> future = executor.executeAsync(Reversible.genAsync(saga -> saga.run(AsyncStep.ok(calls, "a"))
                .thenCompose(x -> saga.run(Step.ok(calls, "b")))
                .thenCompose(x -> saga.run(AsyncStep.ok(calls, "c")))
                .thenCompose(x -> saga.run(Step.ok(calls, "d")))
                .thenCompose(x -> failed(original))));

        assertThat(failureOf(future)).isSameAs(original);
        assertThat(calls.list()).containsExactly("a", "b", "c", "d", "undo d", "undo c", "undo b", "undo a");
    }

    @Test
    void syncStepRunsNowOnTheCallingThreadAndItsFailureIsCompensatedBeforeTheStageIsReturned() {
        List<Object> seen = new ArrayList<>();

        CompletableFuture<String> future = executor.executeAsync(Reversible.genAsync(saga -> {
            Thread caller = Thread.currentThread();
            CompletionStage<String> ok = saga.run(new Action<String>() {
                @Override
                public String forwards() {
                    seen.add(Thread.currentThread() == caller);
                    return "ok";
                }

                @Override
                public void backwards() {
                }
            });
            seen.add(ok.toCompletableFuture().getNow("not yet"));
            CompletionStage<String> failedStep = saga.run(Step.ok(calls, "b").failing(original));
            seen.add(calls.list());
            return failedStep.handle((value, failure) -> {
                seen.add(failure);
                return "recovered";
            });
        }));

        assertThat(future.join()).isEqualTo("recovered");
        assertThat(seen).containsExactly(true, "ok", List.of("b", "undo b"), original);
    }

    @Test
    void syncCompositeInsideGenAsyncIsUndoneStepByStep() {
        CompositeAction<String> inner = Reversible.gen(saga -> saga.run(Step.ok(calls, "b")) + saga.run(Step.ok(calls, "c")));

        CompletableFuture<String> future = executor.executeAsync(Reversible.genAsync(saga -> saga.run(AsyncStep.ok(calls, "a"))
                .thenCompose(x -> saga.run(inner))
                .thenCompose(x -> saga.run(AsyncStep.ok(calls, "d")))
                .thenCompose(x -> failed(original))));

        assertThat(failureOf(future)).isSameAs(original);
        assertThat(calls.list()).containsExactly("a", "b", "c", "d", "undo d", "undo c", "undo b", "undo a");
    }

    @Test
    void failingSyncCompositeInsideGenAsyncUndoesItselfOnce() {
        Step b = Step.ok(calls, "b");
        CompositeAction<String> inner = Reversible.gen(saga -> {
            saga.run(b);
            throw original;
        });

        CompletableFuture<String> future = executor.executeAsync(Reversible.genAsync(saga -> saga.run(AsyncStep.ok(calls, "a"))
                .thenCompose(x -> saga.run(inner))));

        assertThat(failureOf(future)).isSameAs(original);
        assertThat(calls.list()).containsExactly("a", "b", "undo b", "undo a");
        assertThat(b.backwardsCount).hasValue(1);
    }

    // ---- rule 8: nested async composites -----------------------------------------------------------

    @Test
    void rollingBackTheOuterUndoesANestedAsyncCompositesStepsInReverseOrder() {
        AsyncCompositeAction<String> inner = Reversible.genAsync(saga -> saga.run(AsyncStep.ok(calls, "b"))
                .thenCompose(x -> saga.run(AsyncStep.ok(calls, "c"))));

        CompletableFuture<String> future = executor.executeAsync(Reversible.genAsync(saga -> saga.run(AsyncStep.ok(calls, "a"))
                .thenCompose(x -> saga.run(inner))
                .thenCompose(x -> saga.run(AsyncStep.ok(calls, "d")))
                .thenCompose(x -> failed(original))));

        assertThat(failureOf(future)).isSameAs(original);
        assertThat(calls.list()).containsExactly("a", "b", "c", "d", "undo d", "undo c", "undo b", "undo a");
    }

    @Test
    void failedNestedAsyncCompositeUndoesItsOwnStepsAndIsNeverUndoneAgain() {
        AsyncStep b = AsyncStep.ok(calls, "b");
        AsyncCompositeAction<String> inner = Reversible.genAsync(saga -> saga.run(b)
                .thenCompose(x -> failed(new IllegalStateException("inner fails"))));

        CompletableFuture<String> future = executor.executeAsync(Reversible.genAsync(saga -> saga.run(AsyncStep.ok(calls, "a"))
                .thenCompose(x -> saga.run(inner).exceptionally(e -> {
                    calls.add("outer caught " + e.getMessage());
                    return "handled";
                }))
                .thenCompose(x -> saga.run(AsyncStep.ok(calls, "c")))
                .thenCompose(x -> failed(original))));

        assertThat(failureOf(future)).isSameAs(original);
        assertThat(calls.list()).containsExactly("a", "b", "undo b", "outer caught inner fails", "c", "undo c", "undo a");
        assertThat(b.backwardsCount).hasValue(1);
    }

    @Test
    void scopeOfANestedAsyncCompositeBelongsToTheOutermostSaga() {
        List<SagaInfo> infos = new ArrayList<>();
        AsyncCompositeAction<Object> inner = Reversible.genAsync(saga -> {
            infos.add(saga.saga());
            return null;
        });

        executor.executeAsync(Reversible.genAsync(saga -> {
            infos.add(saga.saga());
            return saga.run(inner);
        }).named("outer")).join();

        assertThat(infos).hasSize(2);
        assertThat(infos.get(1)).isSameAs(infos.get(0));
        assertThat(infos.get(0).name()).isEqualTo("outer");
    }

    // ---- rule 9 ---------------------------------------------------------------------------------

    @Test
    void stepNeverReachedIsNeverCalledAndNoCompensationRunsTwice() {
        AsyncStep a = AsyncStep.ok(calls, "a");
        AsyncStep b = AsyncStep.ok(calls, "b").failing(original);
        AsyncStep never = AsyncStep.ok(calls, "never");

        CompletableFuture<String> future = executor.executeAsync(Reversible.genAsync(saga -> saga.run(a)
                .thenCompose(x -> saga.run(b))
                .thenCompose(x -> saga.run(never))));

        assertThat(failureOf(future)).isSameAs(original);
        assertThat(never.forwardsCount).hasValue(0);
        assertThat(never.backwardsCount).hasValue(0);
        assertThat(a.backwardsCount).hasValue(1);
        assertThat(b.backwardsCount).hasValue(1);
        assertThat(calls.list()).containsExactly("a", "b", "undo b", "undo a");
    }

    // ---- lift -----------------------------------------------------------------------------------

    @Test
    void liftedFutureIsAwaitedAndNeverCompensated() {
        CompletableFuture<String> http = new CompletableFuture<>();

        CompletableFuture<String> future = executor.executeAsync(Reversible.genAsync(saga -> saga.run(AsyncStep.ok(calls, "a"))
                .thenCompose(x -> saga.lift(http))
                .thenCompose(response -> {
                    calls.add("got " + response);
                    return failed(original);
                })));
        assertThat(future).isNotDone();
        http.complete("200 OK");

        await().atMost(BOUND).until(future::isDone);
        assertThat(failureOf(future)).isSameAs(original);
        assertThat(calls.list()).containsExactly("a", "got 200 OK", "undo a");
    }

    @Test
    void liftedFuturesFailureReachesTheCallPointAsTheSameInstance() {
        IOException httpError = new IOException("HTTP 500");
        AtomicReference<Throwable> seen = new AtomicReference<>();

        CompletableFuture<String> future = executor.executeAsync(Reversible.genAsync(saga -> saga.run(AsyncStep.ok(calls, "a"))
                .thenCompose(x -> saga.lift(CompletableFuture.<String>failedFuture(httpError)).handle((response, failure) -> {
                    seen.set(failure);
                    return "fallback";
                }))));

        assertThat(future.join()).isEqualTo("fallback");
        assertThat(seen.get()).isSameAs(httpError);
        assertThat(calls.list()).containsExactly("a");
    }

    @Test
    void unhandledLiftFailureRollsBackTheStepsButNotTheLiftedFuture() {
        IOException httpError = new IOException("HTTP 500");

        CompletableFuture<String> future = executor.executeAsync(Reversible.genAsync(saga -> saga.run(AsyncStep.ok(calls, "a"))
                .thenCompose(x -> saga.lift(CompletableFuture.<String>failedFuture(httpError)))));

        assertThat(failureOf(future)).isSameAs(httpError);
        assertThat(calls.list()).containsExactly("a", "undo a");
    }

    @Test
    void completingTheLiftedCopyDoesNotCompleteTheCallersFuture() {
        CompletableFuture<String> http = new CompletableFuture<>();
        AtomicReference<CompletionStage<String>> lifted = new AtomicReference<>();

        executor.executeAsync(Reversible.genAsync(saga -> {
            lifted.set(saga.lift(http));
            return null;
        })).join();
        lifted.get().toCompletableFuture().complete("forged");

        assertThat(http).isNotDone();
    }

    // ---- rule 10: policies and retry --------------------------------------------------------------

    @Test
    void abortStopsAtTheFirstFailingAsyncCompensationAndListsWhatIsLeft() {
        IllegalStateException undoB = new IllegalStateException("undo b failed");

        CompletableFuture<String> future = executor.executeAsync(Reversible.genAsync(saga -> saga.run(AsyncStep.ok(calls, "a"))
                .thenCompose(x -> saga.run(AsyncStep.ok(calls, "b").compensationFailing(undoB, 1)))
                .thenCompose(x -> saga.run(Reversible.genAsync(inner -> inner.run(AsyncStep.ok(calls, "c"))
                        .thenCompose(y -> inner.run(Step.ok(calls, "d"))))))
                .thenCompose(x -> saga.run(AsyncStep.ok(calls, "e").failing(original)))));

        CompensationFailedException e = (CompensationFailedException) failureOf(future);
        assertThat(calls.list()).containsExactly("a", "b", "c", "d", "e", "undo e", "undo d", "undo c", "undo b");
        assertThat(e.getCause()).isSameAs(original);
        assertThat(e.failures()).containsExactly(undoB);
        assertThat(e.pending()).containsExactly("b", "a");
    }

    @Test
    void abortWhenTheFailedAsyncStepsOwnCompensationFailsListsItThenEveryCompletedStep() {
        IllegalStateException undoE = new IllegalStateException("undo e failed");

        CompletableFuture<String> future = executor.executeAsync(Reversible.genAsync(saga -> saga.run(AsyncStep.ok(calls, "a"))
                .thenCompose(x -> saga.run(Reversible.genAsync(inner -> inner.run(AsyncStep.ok(calls, "b"))
                        .thenCompose(y -> inner.run(Step.ok(calls, "c"))))))
                .thenCompose(x -> saga.run(AsyncStep.ok(calls, "e").failing(original).compensationFailing(undoE, 1)))));

        CompensationFailedException e = (CompensationFailedException) failureOf(future);
        assertThat(calls.list()).containsExactly("a", "b", "c", "e", "undo e");
        assertThat(e.pending()).containsExactly("e", "c", "b", "a");
        assertThat(e.failures()).containsExactly(undoE);
        assertThat(e.getCause()).isSameAs(original);
    }

    @Test
    void continueRunsEveryAsyncCompensationAndCollectsEveryFailure() {
        SagaExecutor keepGoing = Reversible.executor().rollbackPolicy(RollbackPolicy.CONTINUE).build();
        IllegalStateException undoB = new IllegalStateException("undo b failed");
        IllegalStateException undoD = new IllegalStateException("undo d failed");
        IllegalStateException undoE = new IllegalStateException("undo e failed");

        CompletableFuture<String> future = keepGoing.executeAsync(Reversible.genAsync(saga -> saga.run(AsyncStep.ok(calls, "a"))
                .thenCompose(x -> saga.run(AsyncStep.ok(calls, "b").compensationFailing(undoB, 1)))
                .thenCompose(x -> saga.run(Reversible.genAsync(inner -> inner.run(AsyncStep.ok(calls, "c"))
                        .thenCompose(y -> inner.run(Step.ok(calls, "d").compensationFailing(undoD))))))
                .thenCompose(x -> saga.run(AsyncStep.ok(calls, "e").failing(original).compensationFailing(undoE, 1)))));

        CompensationFailedException e = (CompensationFailedException) failureOf(future);
        assertThat(calls.list()).containsExactly("a", "b", "c", "d", "e", "undo e", "undo d", "undo c", "undo b", "undo a");
        assertThat(e.failures()).containsExactly(undoE, undoD, undoB);
        assertThat(e.getSuppressed()).containsExactly(undoE, undoD, undoB);
        assertThat(e.pending()).containsExactly("e", "d", "b");
        assertThat(e.getCause()).isSameAs(original);
    }

    @Test
    void asyncCompensationIsRetriedWithBackoffUntilItSucceeds() {
        SagaExecutor retrying = Reversible.executor().compensationRetry(3, Duration.ofMillis(1)).build();
        AsyncStep b = AsyncStep.ok(calls, "b").compensationFailing(new IllegalStateException("not yet"), 2);

        CompletableFuture<String> future = retrying.executeAsync(Reversible.genAsync(saga -> saga.run(AsyncStep.ok(calls, "a"))
                .thenCompose(x -> saga.run(b))
                .thenCompose(x -> failed(original))));

        await().atMost(BOUND).until(future::isDone);
        assertThat(failureOf(future)).isSameAs(original);
        assertThat(b.backwardsCount).hasValue(3);
        assertThat(calls.list()).containsExactly("a", "b", "undo b", "undo b", "undo b", "undo a");
    }

    @Test
    void asyncCompensationFailingEveryAttemptIsCalledExactlyMaxAttemptsTimes() {
        SagaExecutor retrying = Reversible.executor().compensationRetry(3, Duration.ofMillis(1)).build();
        IllegalStateException undoB = new IllegalStateException("never");
        AsyncStep b = AsyncStep.ok(calls, "b").compensationFailing(undoB, Integer.MAX_VALUE);

        CompletableFuture<String> future = retrying.executeAsync(Reversible.genAsync(saga -> saga.run(AsyncStep.ok(calls, "a"))
                .thenCompose(x -> saga.run(b))
                .thenCompose(x -> failed(original))));

        await().atMost(BOUND).until(future::isDone);
        CompensationFailedException e = (CompensationFailedException) failureOf(future);
        assertThat(b.backwardsCount).hasValue(3);
        assertThat(e.failures()).containsExactly(undoB);
        assertThat(e.pending()).containsExactly("b", "a");
        assertThat(calls.list()).containsExactly("a", "b", "undo b", "undo b", "undo b");
    }

    @Test
    void failedAsyncStepsOwnCompensationIsRetriedToo() {
        SagaExecutor retrying = Reversible.executor().compensationRetry(2, Duration.ofMillis(1)).build();
        AsyncStep a = AsyncStep.ok(calls, "a").failing(original).compensationFailing(new IllegalStateException("once"), 1);

        CompletableFuture<String> future = retrying.executeAsync(a);

        await().atMost(BOUND).until(future::isDone);
        assertThat(failureOf(future)).isSameAs(original);
        assertThat(a.backwardsCount).hasValue(2);
    }

    @Test
    void syncStepInsideGenAsyncGetsItsAttemptNumbers() {
        SagaExecutor retrying = Reversible.executor().compensationRetry(3, Duration.ofMillis(1)).build();
        List<Integer> attempts = new ArrayList<>();
        AttemptAwareAction<String> refund = new AttemptAwareAction<>() {
            @Override
            public String forwards() {
                return "charged";
            }

            @Override
            public void backwards(int attempt) {
                synchronized (attempts) {
                    attempts.add(attempt);
                }
                if (attempt < 3) {
                    throw new IllegalStateException("attempt " + attempt);
                }
            }
        };

        CompletableFuture<String> future = retrying.executeAsync(Reversible.genAsync(saga -> saga.run(refund)
                .thenCompose(x -> failed(original))));

        await().atMost(BOUND).until(future::isDone);
        assertThat(failureOf(future)).isSameAs(original);
        synchronized (attempts) {
            assertThat(attempts).containsExactly(1, 2, 3);
        }
    }

    // ---- closed scope ---------------------------------------------------------------------------

    @Test
    void stepRunThroughAClosedAsyncScopeIsRefusedAndNeverStarted() {
        AtomicReference<AsyncSagaScope> leaked = new AtomicReference<>();
        executor.executeAsync(Reversible.genAsync(saga -> {
            leaked.set(saga);
            return saga.run(AsyncStep.ok(calls, "a"));
        })).join();
        AsyncStep lateAsync = AsyncStep.ok(calls, "lateAsync");
        Step lateSync = Step.ok(calls, "lateSync");

        CompletableFuture<String> refusedAsync = leaked.get().run(lateAsync).toCompletableFuture();
        CompletableFuture<String> refusedSync = leaked.get().run(lateSync).toCompletableFuture();

        assertThat(failureOf(refusedAsync)).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThat(failureOf(refusedSync)).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThat(lateAsync.forwardsCount).hasValue(0);
        assertThat(lateSync.forwardsCount).hasValue(0);
        assertThat(calls.list()).containsExactly("a");
    }

    @Test
    void asyncScopeRefusesNulls() {
        CompletableFuture<Object> future = executor.executeAsync(Reversible.genAsync(saga -> {
            assertThat(thrownBy(() -> saga.run((AsyncAction<Object>) null))).isInstanceOf(NullPointerException.class);
            assertThat(thrownBy(() -> saga.run((Action<Object>) null))).isInstanceOf(NullPointerException.class);
            assertThat(thrownBy(() -> saga.lift(null))).isInstanceOf(NullPointerException.class);
            return null;
        }));

        assertThat(future.join()).isNull();
    }

    // ---- rollbackOn -----------------------------------------------------------------------------

    @Test
    void rejectedAsyncFailureKeepsTheCompletedStepsButTheFailedStepIsStillCompensated() {
        CompletableFuture<String> future = executor.executeAsync(Reversible.genAsync(saga -> saga.run(AsyncStep.ok(calls, "a"))
                .thenCompose(x -> saga.run(AsyncStep.ok(calls, "b").failing(original)))).rollbackOn(e -> false));

        assertThat(failureOf(future)).isSameAs(original);
        assertThat(calls.list()).containsExactly("a", "b", "undo b");
    }

    @Test
    void enclosingAsyncCompositeThatRollsBackUndoesTheStepsARejectingInnerKept() {
        AsyncCompositeAction<String> inner = Reversible.genAsync(saga -> saga.run(AsyncStep.ok(calls, "b"))
                .thenCompose(x -> saga.run(AsyncStep.ok(calls, "c").failing(original)))).rollbackOn(e -> false);

        CompletableFuture<String> future = executor.executeAsync(Reversible.genAsync(saga -> saga.run(AsyncStep.ok(calls, "a"))
                .thenCompose(x -> saga.run(inner))));

        assertThat(failureOf(future)).isSameAs(original);
        assertThat(calls.list()).containsExactly("a", "b", "c", "undo c", "undo b", "undo a");
    }

    @Test
    void rejectingSyncCompositeInsideGenAsyncKeepsItsStepsForTheEnclosingRollback() {
        CompositeAction<String> inner = Reversible.<String>gen(saga -> {
            saga.run(Step.ok(calls, "b"));
            throw new IOException("rejected");
        }).rollbackOn(e -> false);

        CompletableFuture<String> future = executor.executeAsync(Reversible.genAsync(saga -> saga.run(AsyncStep.ok(calls, "a"))
                .thenCompose(x -> saga.run(inner).exceptionally(e -> "handled"))
                .thenCompose(x -> failed(original))));

        assertThat(failureOf(future)).isSameAs(original);
        assertThat(calls.list()).containsExactly("a", "b", "undo b", "undo a");
    }

    // ---- direct use -----------------------------------------------------------------------------

    @Test
    void directForwardsRunsAsASagaOfItsOwnAndDirectBackwardsHasNothingLeftToUndo() {
        AsyncCompositeAction<String> composite = Reversible.genAsync(saga -> saga.run(AsyncStep.ok(calls, "a")));

        assertThat(composite.forwards().toCompletableFuture().join()).isEqualTo("a");
        assertThat(composite.backwards().toCompletableFuture().join()).isNull();
        assertThat(calls.list()).containsExactly("a");
        assertThat(composite.toString()).contains("saga");
    }

    @Test
    void asyncCompositeExecutedTwiceRunsIndependently() {
        AtomicInteger run = new AtomicInteger();
        AsyncCompositeAction<Integer> composite = Reversible.genAsync(saga -> {
            int n = run.incrementAndGet();
            return saga.run(AsyncStep.ok(calls, "step" + n))
                    .thenCompose(x -> n == 2 ? failed(original) : CompletableFuture.completedFuture(n));
        });

        assertThat(executor.executeAsync(composite).join()).isEqualTo(1);
        assertThat(failureOf(executor.executeAsync(composite))).isSameAs(original);
        assertThat(calls.list()).containsExactly("step1", "step2", "undo step2");
    }
}
