package dev.reversible.core.engine;

import dev.reversible.core.CompensationFailedException;
import dev.reversible.core.RollbackPolicy;

import java.util.ArrayDeque;

/**
 * Walks a journal tree in exact reverse order, without recursion (a saga may have 100,000 steps or
 * deeply nested composites), handing out the leaves to compensate and collecting what failed under
 * the executor's {@link RollbackPolicy}. The synchronous and the asynchronous engines both drive it,
 * so the policy is written once.
 */
final class Rollback {

    /** Where the walk stands in an enclosing journal while it walks a nested one. */
    private static final class Frame {
        final Journal journal;
        final int next;

        Frame(Journal journal, int next) {
            this.journal = journal;
            this.next = next;
        }
    }

    private final RollbackPolicy policy;
    private final SagaRun run;
    private final Journal root;
    private final Throwable original;
    // The journal being walked and the index of its next entry are plain fields, and the stack of
    // enclosing journals is created only when a nested one is met: the common flat journal then walks
    // with no allocation at all (a deque, its array and a frame were 136 bytes per rollback).
    private Journal journal;
    private int next;
    private ArrayDeque<Frame> enclosing;
    private CompensationFailedException failure;
    private boolean aborted;

    /**
     * @param failure what started the rollback; a {@link CompensationFailedException} coming up from a
     *     nested step carries on collecting (and under ABORT, stops this rollback before it starts)
     */
    Rollback(RollbackPolicy policy, SagaRun run, Journal root, Throwable failure) {
        this.policy = policy;
        this.run = run;
        this.root = root;
        // Only this saga's own exception carries on collecting; another saga's (a step that ran a saga of its
        // own and let it fail) is an ordinary failure here, and this saga still undoes its completed steps.
        this.failure = run.owns(failure) ? (CompensationFailedException) failure : null;
        this.original = this.failure != null ? this.failure.getCause() : failure;
        this.aborted = this.failure != null && policy == RollbackPolicy.ABORT;
        this.journal = root;
        markUndone(root);
        this.next = root.size() - 1;
    }

    /** From now on a step settling late in {@code walked} is compensated on its own rather than joining it. */
    private void markUndone(Journal walked) {
        if (run.isShared()) {
            synchronized (run) {
                walked.undo(original);
            }
        } else {
            walked.undo(original);
        }
    }

    /** @return the next leaf to compensate, or {@code null} when there is none left to run */
    Object next() {
        for (;;) {
            Object leaf = nextLeaf();
            if (leaf == null || !aborted) {
                return leaf;
            }
            run.access().addPending(failure, Names.ofStep(leaf));
        }
    }

    /** Records the outcome of a leaf's compensation ({@code null}: it succeeded). */
    void record(Object leaf, Throwable compensationFailure) {
        if (compensationFailure == null) {
            return;
        }
        if (failure == null) {
            failure = run.own(new CompensationFailedException(original, java.util.List.of(), java.util.List.of()));
        }
        CoreAccess access = run.access();
        access.addFailure(failure, compensationFailure);
        access.addPending(failure, Names.ofStep(leaf));
        aborted = policy == RollbackPolicy.ABORT;
    }

    /** @return what the rolled-back composite throws: the original failure, or the collected compensation failures */
    Throwable outcome() {
        enclosing = null;
        next = -1;
        root.clear();
        return failure != null ? failure : original;
    }

    private Object nextLeaf() {
        for (;;) {
            if (next < 0) {
                if (enclosing == null || enclosing.isEmpty()) {
                    return null;
                }
                Frame frame = enclosing.pop();
                journal = frame.journal;
                next = frame.next;
                continue;
            }
            Object entry = journal.get(next--);
            if (entry instanceof Journal nested) {
                if (enclosing == null) {
                    enclosing = new ArrayDeque<>();
                }
                enclosing.push(new Frame(journal, next));
                journal = nested;
                markUndone(nested);
                next = nested.size() - 1;
            } else if (entry != null) {
                return entry;
            }
        }
    }
}
