package dev.reversible.test;

import java.util.Optional;

/**
 * Reads a saga's entry in the application's durable journal. The kit's auto-configuration defines one when
 * {@code reversible-jdbc} is on the class path and the starter journals sagas; a {@link RecordedSaga} reads
 * through it only when asked, so a test whose database is down still records its sagas.
 *
 * <pre>{@code
 * SagaAssertions.assertThat(recorder.lastSaga()).isStuck();   // reads the journal through this
 * }</pre>
 */
@FunctionalInterface
public interface JournalReader {

    /**
     * @param sagaId a saga's id ({@link RecordedSaga#id()})
     * @return the saga as the journal holds it now, or empty when the journal has no such saga
     */
    Optional<JournalEntry> find(String sagaId);
}
