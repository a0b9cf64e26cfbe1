package dev.reversible.jdbc;

import java.util.Objects;

/**
 * A saga's id together with the owner epoch its holder believes current. Every status write carries the
 * epoch and writes nothing when the saga's row holds another one ({@link JournalFencedException}): a
 * claim increments it, so a former owner that wakes up from a long pause cannot write.
 *
 * @param sagaId the saga's id
 * @param epoch the owner epoch
 */
public record SagaHandle(String sagaId, long epoch) {

    /** Checks the id. */
    public SagaHandle {
        Objects.requireNonNull(sagaId, "sagaId");
    }
}
