package dev.reversible.jdbc;

import java.util.Objects;

/**
 * The write path of the journal for one application instance: opens a {@link JournaledSaga} per saga run
 * (or per saga taken over by recovery or an operator), through which the saga's whole life is written.
 *
 * <pre>{@code
 * JournaledSaga saga = sagaJournal.begin(sagaInfo.id(), sagaInfo.name());  // writes nothing yet
 * saga.stepStarted(StepStart.of(0, -1, "stock", "reserve", sku, 2));       // commit 1: saga + step 0
 * saga.stepCompleted(0, reservationId);                                    // buffered
 * saga.stepStarted(StepStart.of(1, -1, "payment", "charge", account, 30)); // commit 2: step 0's end + step 1
 * saga.stepCompleted(1, chargeId);                                         // buffered
 * saga.completed();                                                        // commit 3: rows deleted (or kept)
 * }</pre>
 */
public final class SagaJournal {

    private final JdbcJournal journal;
    private final JournalInstance owner;

    /**
     * @param journal the journal's database
     * @param owner this application instance, registered with {@link InstanceRegistry#register}
     */
    public SagaJournal(JdbcJournal journal, JournalInstance owner) {
        this.journal = Objects.requireNonNull(journal, "journal");
        this.owner = Objects.requireNonNull(owner, "owner");
    }

    /**
     * Opens a new saga. Nothing is written until its first step starts: a saga without steps leaves no trace,
     * and the saga's row shares the first step's commit.
     * @param sagaId the saga's id, unique across instances and restarts
     * @param sagaName its name
     * @return the saga's writer, owned by this instance at epoch 0
     */
    public JournaledSaga begin(String sagaId, String sagaName) {
        return new JournaledSaga(journal, owner, new SagaHandle(sagaId, 0), sagaName, false);
    }

    /**
     * Takes up a saga already in the journal, at the epoch of a claim ({@link SagaClaims#claim}), an
     * operator's retry ({@link StoredSagas#retry}) or a due persistent retry ({@link SagaClaims#dueRetries}).
     * @param handle the saga and the epoch this instance holds
     * @return the saga's writer
     */
    public JournaledSaga resume(SagaHandle handle) {
        return new JournaledSaga(journal, owner, handle, null, true);
    }

    /** @return this instance */
    public JournalInstance owner() {
        return owner;
    }
}
