package dev.reversible.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An asynchronous test step. By default both halves return already-completed stages; a test may hand
 * in the stages to return instead, and complete them when it chooses.
 */
final class AsyncStep implements AsyncAction<String> {

    private final String name;
    private final Calls calls;
    private CompletableFuture<String> forwardsStage;
    private final List<CompletableFuture<?>> backwardsStages = new ArrayList<>();
    private Throwable forwardsFailure;
    private Throwable backwardsFailure;
    private int backwardsFailuresLeft;
    final AtomicInteger forwardsCount = new AtomicInteger();
    final AtomicInteger backwardsCount = new AtomicInteger();

    private AsyncStep(Calls calls, String name) {
        this.calls = calls;
        this.name = name;
    }

    static AsyncStep ok(Calls calls, String name) {
        return new AsyncStep(calls, name);
    }

    /** Forwards returns this stage (the test completes it). */
    AsyncStep forwardsReturning(CompletableFuture<String> stage) {
        this.forwardsStage = stage;
        return this;
    }

    /** Forwards returns a stage already failed with {@code failure}. */
    AsyncStep failing(Throwable failure) {
        this.forwardsFailure = failure;
        return this;
    }

    /** The next backwards calls return these stages, one each; then already-completed stages. */
    AsyncStep backwardsReturning(CompletableFuture<?>... stages) {
        backwardsStages.addAll(List.of(stages));
        return this;
    }

    /** The first {@code times} backwards calls return stages failed with {@code failure}. */
    AsyncStep compensationFailing(Throwable failure, int times) {
        this.backwardsFailure = failure;
        this.backwardsFailuresLeft = times;
        return this;
    }

    @Override
    public CompletionStage<String> forwards() {
        forwardsCount.incrementAndGet();
        calls.add(name);
        if (forwardsFailure != null) {
            return CompletableFuture.failedFuture(forwardsFailure);
        }
        return forwardsStage != null ? forwardsStage : CompletableFuture.completedFuture(name);
    }

    @Override
    public synchronized CompletionStage<?> backwards() {
        backwardsCount.incrementAndGet();
        calls.add("undo " + name);
        if (backwardsFailuresLeft > 0) {
            backwardsFailuresLeft--;
            return CompletableFuture.failedFuture(backwardsFailure);
        }
        if (!backwardsStages.isEmpty()) {
            return backwardsStages.remove(0);
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return "AsyncStep[" + name + "]";
    }
}
