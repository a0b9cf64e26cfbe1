package dev.reversible.core;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A synchronous test step that may start children while its forwards runs, and that learns its place
 * in the saga ({@link SagaStep}). Logs {@code name} when forwards starts, {@code "undo " + name} when
 * backwards runs, and {@code "started name index parentIndex"} in {@code starts} when it takes its place.
 */
final class ParentStep implements Action<String>, SagaStep {

    @FunctionalInterface
    interface Children {
        void start() throws Exception;
    }

    private final Calls calls;
    private final String name;
    private final Children children;
    private Calls starts;
    private Throwable failure;
    private boolean undoneByTransaction;
    private Throwable compensationFailure;
    private Consumer<SagaInfo> onStarted = saga -> { };
    final AtomicInteger backwardsCount = new AtomicInteger();
    final AtomicInteger startedCount = new AtomicInteger();

    private ParentStep(Calls calls, String name, Children children) {
        this.calls = calls;
        this.name = name;
        this.children = children;
    }

    /** A step whose forwards starts {@code children} (through any scope) before it returns or fails. */
    static ParentStep of(Calls calls, String name, Children children) {
        return new ParentStep(calls, name, children);
    }

    /** A step without children. */
    static ParentStep leaf(Calls calls, String name) {
        return new ParentStep(calls, name, () -> { });
    }

    /** Forwards throws {@code failure} after its children ran. */
    ParentStep failing(Throwable failure) {
        this.failure = failure;
        return this;
    }

    /** Logs every {@link #started} call in {@code starts}. */
    ParentStep recordingStartsIn(Calls starts) {
        this.starts = starts;
        return this;
    }

    /** Hands the saga to {@code onStarted} when the step takes its place. */
    ParentStep onStarted(Consumer<SagaInfo> onStarted) {
        this.onStarted = onStarted;
        return this;
    }

    /** Every backwards throws {@code failure} (after logging); {@code null}: backwards succeeds. */
    ParentStep compensationFailing(Throwable failure) {
        this.compensationFailure = failure;
        return this;
    }

    /** Says its work was undone by its transaction's rollback. */
    ParentStep undoneByItsTransaction() {
        this.undoneByTransaction = true;
        return this;
    }

    @Override
    public void started(SagaInfo saga, int index, int parentIndex) {
        startedCount.incrementAndGet();
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
    public String forwards() throws Exception {
        calls.add(name);
        children.start();
        if (failure != null) {
            throw Failures.<Exception>rethrow(failure);
        }
        return name;
    }

    @Override
    public void backwards() throws Exception {
        backwardsCount.incrementAndGet();
        calls.add("undo " + name);
        if (compensationFailure != null) {
            throw Failures.<Exception>rethrow(compensationFailure);
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return "ParentStep[" + name + "]";
    }
}
