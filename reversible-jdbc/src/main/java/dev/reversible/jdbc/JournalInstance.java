package dev.reversible.jdbc;

import java.util.Objects;

/**
 * One life of one application instance, as the journal knows it.
 *
 * @param id a fresh random id, new at every start: the only thing that decides ownership
 * @param name a display name (application name and host), shown as a saga's owner, never compared
 */
public record JournalInstance(String id, String name) {

    /** Checks both parts. */
    public JournalInstance {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
    }
}
