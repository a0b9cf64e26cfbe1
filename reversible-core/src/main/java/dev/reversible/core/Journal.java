package dev.reversible.core;

import java.util.ArrayList;

/**
 * The completed steps of one composite (or one step's children, after the step itself in slot 0), in
 * the order they started. An entry is a leaf
 * ({@link Action} or {@link AsyncAction}), a nested composite's {@code Journal}, or {@code null} for
 * an asynchronous step still running or one that failed (and was undone by itself).
 *
 * <p>Not thread-safe: once a saga has asynchronous steps, its scopes change it under the saga's lock.
 */
final class Journal {

    private final ArrayList<Object> entries = new ArrayList<>();

    /** @return a journal holding one entry */
    static Journal of(Object entry) {
        Journal journal = new Journal();
        journal.add(entry);
        return journal;
    }

    void add(Object entry) {
        entries.add(entry);
    }

    int reserve() {
        entries.add(null);
        return entries.size() - 1;
    }

    void set(int slot, Object entry) {
        entries.set(slot, entry);
    }

    Object get(int index) {
        return entries.get(index);
    }

    int size() {
        return entries.size();
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    /** Forgets every entry: called once they are compensated, so that none is compensated twice. */
    void clear() {
        entries.clear();
    }

}
