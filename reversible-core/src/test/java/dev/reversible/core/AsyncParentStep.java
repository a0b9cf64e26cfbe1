package dev.reversible.core;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * An asynchronous test step that may start children while its forwards runs on the calling thread,
 * and that learns its place in the saga ({@link SagaStep}). By default its stage is already complete;
 * a test may hand in the stage to return and settle it when it chooses.
 */
final class AsyncParentStep implements AsyncAction<String>, SagaStep {

    private final Calls calls;
    private final String name;
    private final ParentStep.Children children;
    private Calls starts;
    private Throwable failure;
    private CompletableFuture<String> stage;
    private boolean undoneByTransaction;
    private Consumer<SagaInfo> onStarted = saga -> { };
    final AtomicInteger backwardsCount = new AtomicInteger();

    private AsyncParentStep(Calls calls, String name, ParentStep.Children children) {
        this.calls = calls;
        this.name = name;
        this.children = children;
    }

    static AsyncParentStep of(Calls calls, String name, ParentStep.Children children) {
        return new AsyncParentStep(calls, name, children);
    }

    static AsyncParentStep leaf(Calls calls, String name) {
        return new AsyncParentStep(calls, name, () -> { });
    }

    /** Forwards returns a stage failed with {@code failure}, after its children ran. */
    AsyncParentStep failing(Throwable failure) {
        this.failure = failure;
        return this;
    }

    /** Forwards returns this stage, after its children ran. */
    AsyncParentStep returning(CompletableFuture<String> stage) {
        this.stage = stage;
        return this;
    }

    AsyncParentStep recordingStartsIn(Calls starts) {
        this.starts = starts;
        return this;
    }

    /** Hands the saga to {@code onStarted} when the step takes its place. */
    AsyncParentStep onStarted(Consumer<SagaInfo> onStarted) {
        this.onStarted = onStarted;
        return this;
    }

    AsyncParentStep undoneByItsTransaction() {
        this.undoneByTransaction = true;
        return this;
    }

    @Override
    public void started(SagaInfo saga, int index, int parentIndex) {
        onStarted.accept(saga);
        if (starts != null) {
            starts.add(name + " " + index + " " + parentIndex);
        }
    }

    @Override
    public boolean undoneByTransaction() {
        return undoneByTransaction;
    }

    @Override
    public CompletionStage<String> forwards() {
        calls.add(name);
        try {
            children.start();
        } catch (Exception e) {
            throw Failures.<RuntimeException>rethrow(e);
        }
        if (failure != null) {
            return CompletableFuture.failedFuture(failure);
        }
        return stage != null ? stage : CompletableFuture.completedFuture(name);
    }

    @Override
    public CompletionStage<?> backwards() {
        backwardsCount.incrementAndGet();
        calls.add("undo " + name);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return "AsyncParentStep[" + name + "]";
    }
}
