package dev.reversible.core.engine;

import dev.reversible.core.CompensationFailedException;
import dev.reversible.core.CompensationMode;
import dev.reversible.core.RollbackPolicy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * A rollback in happens-before order (rule 15), for a saga with {@link CompensationMode#PARALLEL}: a step's
 * compensation starts once the compensations of every step that started after it ended are done. The journal
 * tree becomes a graph built once — a leaf per compensation, and per journal slot a barrier standing for "this
 * slot and every later one are done", so that the edges stay linear in the number of steps — then walked by a
 * work list, not by recursion or chained futures, so that a long chain of steps completing at once cannot
 * overflow the stack. Compensations that become ready together run on the engine's workers; a lone one runs on
 * the thread that made it ready.
 *
 * <p>The policy is {@link Rollback}'s: under {@link RollbackPolicy#ABORT} a failed compensation stops new ones
 * from starting and the rollback waits for those already running; under {@link RollbackPolicy#CONTINUE} all
 * run. The outcome is built in sequential rollback order, so {@link CompensationFailedException#pending()}
 * reads as for a sequential rollback.
 */
final class ParallelRollback {

    /** A node of the graph: it is ready once every node it waits for has finished. */
    private static class Node {
        int waiting;
        List<Node> successors;

        void precedes(Node next) {
            if (successors == null) {
                successors = new ArrayList<>(2);
            }
            successors.add(next);
            next.waiting++;
        }
    }

    /** A compensation to run. */
    private static final class Leaf extends Node {
        final Object step;
        boolean started;
        Throwable outcome;

        Leaf(Object step) {
            this.step = step;
        }
    }

    private final RollbackPolicy policy;
    private final SagaRun run;
    private final Compensator compensator;
    private final Executor workers;
    private final Journal root;
    private final Throwable original;
    /** This saga's own incomplete rollback coming up from a nested step: it carries on collecting. */
    private final CompensationFailedException incoming;
    /** Every leaf, in the order a sequential rollback would compensate them. */
    private final List<Leaf> leaves = new ArrayList<>();
    private final CompletableFuture<Throwable> done = new CompletableFuture<>();
    private final ArrayDeque<Node> finished = new ArrayDeque<>();
    private boolean draining;
    private boolean aborted;
    private int running;
    private int unfinished;

    ParallelRollback(RollbackPolicy policy, SagaRun run, Compensator compensator, Executor workers, Journal root, Throwable failure) {
        this.policy = policy;
        this.run = run;
        this.compensator = compensator;
        this.workers = workers;
        this.root = root;
        this.incoming = run.owns(failure) ? (CompensationFailedException) failure : null;
        this.original = incoming != null ? incoming.getCause() : failure;
        this.aborted = incoming != null && policy == RollbackPolicy.ABORT;
    }

    /** @return a future of what to fail with: the original failure, or a {@link CompensationFailedException} */
    CompletableFuture<Throwable> start() {
        Node ready = new Node();
        synchronized (run) {
            build(root, ready);
        }
        unfinished = leaves.size();
        if (unfinished == 0) {
            done.complete(outcome());
            return done;
        }
        finished(ready);
        return done;
    }

    /**
     * Adds {@code journal}'s entries to the graph, each waiting for {@code ready} and for the slots it must follow.
     * Recursion only follows nesting; a journal's slots are walked in a loop. Called under the saga's lock: from
     * here on a step settling late in a walked journal is compensated on its own, never joining it.
     * @return the node that finishes once every entry of {@code journal} has been compensated
     */
    private Node build(Journal journal, Node ready) {
        journal.undo(original);
        int size = journal.size();
        Node[] fromSlot = new Node[size + 1];   // fromSlot[i]: slot i and every later slot are done
        fromSlot[size] = ready;
        for (int slot = size - 1; slot >= 0; slot--) {
            // A step's children are undone before it (rule 14); else the slots that started after this one ended.
            int after = slot == 0 && journal.holdsChildren() ? 1 : journal.firstStartedAfterEndOf(slot);
            Node before = fromSlot[after];
            Object entry = journal.get(slot);
            Node entryDone;
            if (entry instanceof Journal nested) {
                entryDone = build(nested, before);
            } else if (entry != null) {
                Leaf leaf = new Leaf(entry);
                leaves.add(leaf);
                before.precedes(leaf);
                entryDone = leaf;
            } else {
                entryDone = before;   // a step still pending, or failed and undone by itself: nothing to do here
            }
            Node slotDone = new Node();
            entryDone.precedes(slotDone);
            fromSlot[slot + 1].precedes(slotDone);
            fromSlot[slot] = slotDone;
        }
        return fromSlot[0];
    }

    /** Marks {@code node} finished and starts whatever that makes ready; re-entrant calls only queue. */
    private void finished(Node node) {
        synchronized (this) {
            finished.add(node);
            if (draining) {
                return;
            }
            draining = true;
        }
        List<Leaf> ready = new ArrayList<>(2);
        for (;;) {
            boolean alone;
            synchronized (this) {
                Node next = finished.poll();
                if (next == null) {
                    draining = false;
                    return;
                }
                if (next.successors != null) {
                    for (Node successor : next.successors) {
                        if (--successor.waiting == 0) {
                            if (successor instanceof Leaf leaf) {
                                ready.add(leaf);
                            } else {
                                finished.add(successor);
                            }
                        }
                    }
                }
                if (ready.isEmpty()) {
                    continue;
                }
                for (Leaf leaf : ready) {
                    leaf.started = !aborted;
                    if (leaf.started) {
                        running++;
                    }
                }
                alone = ready.size() == 1 && running <= 1 && finished.isEmpty();
            }
            for (Leaf leaf : ready) {
                if (!leaf.started) {
                    leafFinished(leaf, null);   // aborted: left pending, but what follows it is still walked
                } else if (alone) {
                    compensate(leaf);
                } else {
                    workers.execute(() -> compensate(leaf));
                }
            }
            ready.clear();
        }
    }

    private void compensate(Leaf leaf) {
        CompletableFuture<Throwable> compensation;
        try {
            compensation = compensator.compensateAsync(run, leaf.step);
        } catch (Throwable unexpected) {
            compensation = CompletableFuture.completedFuture(unexpected);
        }
        compensation.whenComplete((failure, thrown) -> leafFinished(leaf, failure != null ? failure : thrown));
    }

    private void leafFinished(Leaf leaf, Throwable failure) {
        boolean last;
        synchronized (this) {
            if (leaf.started) {
                running--;
                leaf.outcome = failure;
                if (failure != null && policy == RollbackPolicy.ABORT) {
                    aborted = true;
                }
            }
            last = --unfinished == 0;
        }
        if (last) {
            done.complete(outcome());
        } else {
            finished(leaf);
        }
    }

    /** The outcome, in sequential rollback order: the failures, and every step left un-compensated. */
    private Throwable outcome() {
        CompensationFailedException failure = incoming;
        for (Leaf leaf : leaves) {
            if (leaf.started && leaf.outcome != null && failure == null) {
                failure = run.own(new CompensationFailedException(original, List.of(), List.of()));
            }
        }
        if (failure != null) {
            CoreAccess access = run.access();
            for (Leaf leaf : leaves) {
                if (!leaf.started) {
                    access.addPending(failure, Names.ofStep(leaf.step));
                } else if (leaf.outcome != null) {
                    access.addFailure(failure, leaf.outcome);
                    access.addPending(failure, Names.ofStep(leaf.step));
                }
            }
        }
        synchronized (run) {
            root.clear();
        }
        return failure != null ? failure : original;
    }
}
