package dev.reversible.core;

import java.util.Objects;

/**
 * A place where steps take their place: a synchronous composite's body, the saga's root, or a running
 * step — whose {@code forwards} may start steps of its own, its children (rule 14). Valid while its body
 * or step runs; closed after, so a step can never join a scope that can no longer undo it.
 *
 * <p>The steps of a running step are kept in a journal created with the first child, whose slot 0
 * holds the parent itself: walking it in reverse undoes the children, latest first, then the parent.
 */
final class SyncScope implements SagaScope {

    final SagaRun run;
    /** The index a step started here gets as its parent, or -1 for none. */
    final int parentIndex;
    /** Steps started here, in order of start; for a running step created with its first child. */
    private Journal journal;
    private boolean closed;

    private SyncScope(SagaRun run, int parentIndex, Journal journal) {
        this.run = run;
        this.parentIndex = parentIndex;
        this.journal = journal;
    }

    /** The scope of a composite's body (or of the saga's root): its journal exists from the start. */
    static SyncScope body(SagaRun run, int parentIndex, Journal journal) {
        return new SyncScope(run, parentIndex, journal);
    }

    /** The scope of a running step: its children, if it ever has any, go to a journal made on demand. */
    static SyncScope step(SagaRun run, int stepIndex) {
        return new SyncScope(run, stepIndex, null);
    }

    @Override
    public <T> T run(Action<T> step) throws Exception {
        Objects.requireNonNull(step, "step must not be null");
        return run.engine().runStep(run, target(), step);
    }

    /**
     * Where a step run through this scope takes its place: the innermost open scope of the same saga on
     * this thread when there is one — a body that runs a step from inside another step's {@code forwards}
     * starts that step's child — else this scope itself.
     */
    SyncScope target() {
        SyncScope innermost = ThreadScope.current();
        if (innermost != null && innermost != this && innermost.run == run && !innermost.closed) {
            return innermost;
        }
        if (closed) {
            // A step run after the body returned could never be compensated: refuse it rather than lose it.
            throw new IllegalStateException("The scope of " + run + " is closed: its body has returned");
        }
        return this;
    }

    /** @return the journal a step starting here takes its slot in */
    Journal journal() {
        Journal steps = journal;
        if (steps == null) {
            steps = new Journal();
            steps.reserve();   // slot 0: the running step itself, filled when it ends
            journal = steps;
        }
        return steps;
    }

    /**
     * Ends a running step's scope.
     * @param step the step
     * @return what stands for the step in its parent's journal: the step, or its journal of children
     */
    Object closeStep(Object step) {
        closed = true;
        Journal children = journal;
        if (children == null) {
            return step;
        }
        children.set(0, step);
        return children;
    }

    /** @return the journal of a running step's children, its own slot filled, or {@code null} when it had none */
    Journal children(Object step) {
        Journal children = journal;
        if (children != null) {
            children.set(0, step);
        }
        return children;
    }

    void close() {
        closed = true;
    }

    @Override
    public SagaInfo saga() {
        return run;
    }

    @Override
    public String toString() {
        return "scope of " + run;
    }
}
