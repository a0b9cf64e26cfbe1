package dev.reversible.test;

import java.util.Optional;

import dev.reversible.jdbc.ErrorText;
import dev.reversible.jdbc.StoredSaga;
import dev.reversible.jdbc.StoredSagas;

/** The journal read through its public operator API ({@link StoredSagas}); loaded only with {@code reversible-jdbc}. */
final class StoredSagasJournalReader implements JournalReader {

    private final StoredSagas storedSagas;

    StoredSagasJournalReader(StoredSagas storedSagas) {
        this.storedSagas = storedSagas;
    }

    @Override
    public Optional<JournalEntry> find(String sagaId) {
        return storedSagas.find(sagaId).map(StoredSagasJournalReader::entry);
    }

    private static JournalEntry entry(StoredSaga saga) {
        ErrorText error = saga.lastError();
        return new JournalEntry(saga.status().name(), saga.attempts(), saga.nextAttemptAt(), saga.failedStep(),
                error == null ? null : error.className() + (error.message() == null ? "" : ": " + error.message()));
    }

    @Override
    public String toString() {
        return "the durable journal";
    }
}
