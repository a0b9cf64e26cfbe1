package dev.reversible.core.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The completed steps of one composite (or one step's children, after the step itself in slot 0), in
 * the order they started. An entry is a leaf
 * ({@link dev.reversible.core.Action} or {@link dev.reversible.core.AsyncAction}), a nested composite's {@code Journal}, or {@code null} for
 * an asynchronous step still running or one that failed (and was undone by itself).
 *
 * <p>Once a rollback has started walking a journal it is <em>undone</em>: a step still pending in it
 * (an asynchronous child of a step that failed) no longer takes its slot when it settles — it is
 * compensated on its own instead ({@link SyncScope#fill}), so that it is never lost nor undone twice.
 *
 * <p>Not thread-safe: once a saga has asynchronous steps, its scopes change it under the saga's lock.
 *
 * <p>Public only so that a composite called directly can keep what its call left to undo
 * ({@link Engine#executeDirect}): outside this package it is opaque. Not API: it may change in any release.
 */
public final class Journal {

    private static final Object[] NONE = {};
    private static final Throwable NO_FAILURE = new Throwable("undone without a failure", null, false, false) {
        private static final long serialVersionUID = 1L;
    };

    /**
     * Per slot, how many steps of the saga had started when the entry took its slot ({@code starts}) and when it was
     * filled ({@code ends}): entry {@code j} started after entry {@code i} ended exactly when {@code starts[j] >= ends[i]}.
     */
    private static final class Marks {
        int[] starts = new int[0];
        int[] ends = new int[0];
        /** Whether slot 0 holds a running step and the other slots its children, which are undone before it (rule 14). */
        boolean children;
    }

    // An array and a count rather than an ArrayList: one object less per journal, and no modification
    // counts or grow calls on a step's way through (reserve, then set).
    private Object[] entries = NONE;
    private int size;
    /**
     * Once a rollback has started walking this journal, the failure it rolls back for — or {@link #NO_FAILURE} (a
     * direct {@code backwards()}); {@code null} before: a late entry must then be compensated on its own. One field
     * for both, so that a journal stays at 32 bytes.
     */
    private Throwable undoneFor;
    /** For parallel compensation (rule 15) only: when each entry started and ended; {@code null} in a sequential saga. */
    private Marks marks;
    /** The asynchronous children of a running step admitted here, until it ends: a failed one waits for them. */
    private List<CompletableFuture<Throwable>> pendingChildren;

    /** An empty journal. */
    public Journal() {
    }

    /** @return a journal holding one entry */
    static Journal of(Object entry) {
        Journal journal = new Journal();
        journal.add(entry);
        return journal;
    }

    void add(Object entry) {
        reserve();
        entries[size - 1] = entry;
    }

    int reserve() {
        Object[] slots = entries;
        int slot = size;
        if (slot == slots.length) {
            entries = slots = java.util.Arrays.copyOf(slots, slot == 0 ? 10 : slot << 1);
        }
        size = slot + 1;
        return slot;
    }

    void set(int slot, Object entry) {
        if (slot >= size) {
            throw new IndexOutOfBoundsException("slot " + slot + " of " + size);
        }
        entries[slot] = entry;
    }

    /** @param index below {@link #size()}: a rollback walks only the entries there are */
    Object get(int index) {
        return entries[index];
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Marks the journal as being rolled back, for {@code failure}: from now on no entry joins it. */
    void undo(Throwable failure) {
        if (undoneFor == null) {
            undoneFor = failure == null ? NO_FAILURE : failure;
        }
    }

    boolean isUndone() {
        return undoneFor != null;
    }

    /** @return the failure that rolled this journal back, or {@code null} */
    Throwable undoneFor() {
        Throwable failure = undoneFor;
        return failure == NO_FAILURE ? null : failure;
    }

    /** Tracks an asynchronous child of the running step whose children this journal holds. */
    void trackChild(CompletableFuture<Throwable> settled) {
        if (pendingChildren == null) {
            pendingChildren = new ArrayList<>(2);
        }
        pendingChildren.add(settled);
    }

    /** @return a future that completes once every asynchronous child tracked here has settled */
    CompletableFuture<Void> childrenSettled() {
        List<CompletableFuture<Throwable>> tracked = pendingChildren;
        if (tracked == null) {
            return CompletableFuture.completedFuture(null);
        }
        return CompletableFuture.allOf(tracked.toArray(new CompletableFuture<?>[0]));
    }

    /** Marks this journal, in a parallel saga, as a running step's: slot 0 the step, the others its children. */
    void holdChildren() {
        marks().children = true;
    }

    /** @return whether slot 0 holds a step whose children the other slots hold (known in a parallel saga only) */
    boolean holdsChildren() {
        return marks != null && marks.children;
    }

    private Marks marks() {
        Marks made = marks;
        if (made == null) {
            made = new Marks();
            marks = made;
        }
        return made;
    }

    /** Notes, for a parallel rollback, how many steps of the saga had started when {@code slot} was reserved. */
    void markStart(int slot, int startedSteps) {
        Marks made = marks();
        if (made.starts.length <= slot) {
            int length = Math.max(entries.length, slot + 1);
            made.starts = java.util.Arrays.copyOf(made.starts, length);
            made.ends = java.util.Arrays.copyOf(made.ends, length);
        }
        made.starts[slot] = startedSteps;
    }

    /** Notes, for a parallel rollback, how many steps of the saga had started when {@code slot} was filled. */
    void markEnd(int slot, int startedSteps) {
        if (marks != null && slot < marks.ends.length) {
            marks.ends[slot] = startedSteps;
        }
    }

    /**
     * @return the first slot after {@code slot} whose entry started after {@code slot}'s ended — every slot from
     *     there on must be compensated before {@code slot} (rule 15) — or {@link #size()} when none did; without
     *     marks (a sequential saga, or a journal made outside one), {@code slot + 1}
     */
    int firstStartedAfterEndOf(int slot) {
        if (marks == null || marks.starts.length < size) {
            return slot + 1;   // not every slot marked: order strictly, which is always safe
        }
        int[] starts = marks.starts;
        int end = marks.ends[slot];
        // Starts never decrease along the slots (reserved in order, counted by one saga-wide counter): a binary search.
        int low = slot + 1;
        int high = size;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (starts[middle] >= end) {
                high = middle;
            } else {
                low = middle + 1;
            }
        }
        return low;
    }

    /** Forgets every entry: called once they are compensated, so that none is compensated twice. */
    void clear() {
        entries = NONE;
        size = 0;
    }

}
