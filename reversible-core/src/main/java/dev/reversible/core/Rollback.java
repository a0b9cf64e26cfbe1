package dev.reversible.core;

import java.util.ArrayDeque;

/**
 * Walks a journal tree in exact reverse order, without recursion (a saga may have 100,000 steps or
 * deeply nested composites), handing out the leaves to compensate and collecting what failed under
 * the executor's {@link RollbackPolicy}. The synchronous and the asynchronous engines both drive it,
 * so the policy is written once.
 */
final class Rollback {

    private static final class Frame {
        final Journal journal;
        int next;

        Frame(Journal journal) {
            this.journal = journal;
            this.next = journal.size() - 1;
        }
    }

    private final RollbackPolicy policy;
    private final Journal root;
    private final Throwable original;
    private final ArrayDeque<Frame> frames = new ArrayDeque<>();
    private CompensationFailedException failure;
    private boolean aborted;

    /**
     * @param failure what started the rollback; a {@link CompensationFailedException} coming up from a
     *     nested step carries on collecting (and under ABORT, stops this rollback before it starts)
     */
    Rollback(RollbackPolicy policy, Journal root, Throwable failure) {
        this.policy = policy;
        this.root = root;
        this.failure = failure instanceof CompensationFailedException c ? c : null;
        this.original = this.failure != null ? this.failure.getCause() : failure;
        this.aborted = this.failure != null && policy == RollbackPolicy.ABORT;
        frames.push(new Frame(root));
    }

    /** @return the next leaf to compensate, or {@code null} when there is none left to run */
    Object next() {
        for (;;) {
            Object leaf = nextLeaf();
            if (leaf == null || !aborted) {
                return leaf;
            }
            failure.addPending(SagaExecutor.nameOf(leaf));
        }
    }

    /** Records the outcome of a leaf's compensation ({@code null}: it succeeded). */
    void record(Object leaf, Throwable compensationFailure) {
        if (compensationFailure == null) {
            return;
        }
        if (failure == null) {
            failure = new CompensationFailedException(original, java.util.List.of(), java.util.List.of());
        }
        failure.addFailure(compensationFailure);
        failure.addPending(SagaExecutor.nameOf(leaf));
        aborted = policy == RollbackPolicy.ABORT;
    }

    /** @return what the rolled-back composite throws: the original failure, or the collected compensation failures */
    Throwable outcome() {
        frames.clear();
        root.clear();
        return failure != null ? failure : original;
    }

    private Object nextLeaf() {
        while (!frames.isEmpty()) {
            Frame frame = frames.peek();
            if (frame.next < 0) {
                frames.pop();
                continue;
            }
            Object entry = frame.journal.get(frame.next--);
            if (entry instanceof Journal nested) {
                frames.push(new Frame(nested));
            } else if (entry != null) {
                return entry;
            }
        }
        return null;
    }
}
