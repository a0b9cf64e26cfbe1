package dev.reversible.jdbc;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The journal as operators and dashboards see it: sagas by status, one saga, the stuck count, the two
 * operator transitions (each a conditional update on the saga's status, so that of two operators acting at
 * once exactly one wins), and the purge of finished sagas.
 *
 * <pre>{@code
 * Optional<SagaHandle> retried = storedSagas.retry(id, me);   // empty: unknown, or not STUCK (find tells which)
 * boolean resolved = storedSagas.resolve(id, "refunded by hand, ticket 4711");
 * storedSagas.purge(Duration.ofDays(7), 500);
 * }</pre>
 */
public final class StoredSagas {

    private final JdbcJournal journal;
    private final String sagas;
    private final String steps;

    /** @param journal the journal's database */
    public StoredSagas(JdbcJournal journal) {
        this.journal = Objects.requireNonNull(journal, "journal");
        this.sagas = journal.tables().sagas();
        this.steps = journal.tables().steps();
    }

    /**
     * @param id a saga's id
     * @return the saga with its steps (by index), or empty
     */
    public Optional<StoredSaga> find(String id) {
        return SagaReader.find(journal, id);
    }

    /**
     * @param status only sagas in this status, or null for all
     * @param limit the most sagas to return
     * @return sagas with their steps, newest (latest started) first
     */
    public List<StoredSaga> list(SagaStatus status, int limit) {
        return list(status, limit, 0);
    }

    /**
     * A page of {@link #list(SagaStatus, int)}.
     * @param status only sagas in this status, or null for all
     * @param limit the most sagas to return
     * @param offset how many of the newest to skip
     * @return sagas with their steps, newest (latest started) first
     */
    public List<StoredSaga> list(SagaStatus status, int limit, int offset) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive, not " + limit);
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative, not " + offset);
        }
        String where = status == null ? "" : " WHERE status = :status";
        return journal.inOwnTransaction(() -> {
            var query = journal.jdbc().sql("SELECT " + Rows.SAGA_COLUMNS + " FROM " + sagas + where
                    + " ORDER BY started_at DESC, id DESC LIMIT :limit OFFSET :offset").param("limit", limit)
                    .param("offset", offset);
            if (status != null) {
                query = query.param("status", status.name());
            }
            return SagaReader.withSteps(journal, query);
        });
    }

    /**
     * @param status a status
     * @return how many sagas are in it (the health indicator's {@code stuck})
     */
    public long count(SagaStatus status) {
        return journal.inOwnTransaction(() -> journal.jdbc().sql("SELECT COUNT(*) FROM " + sagas + " WHERE status = :status")
                .param("status", status.name()).query(Long.class).single());
    }

    /** @return how many sagas are in each status, every status present (zero when none) */
    public Map<SagaStatus, Long> counts() {
        Map<SagaStatus, Long> counts = new java.util.EnumMap<>(SagaStatus.class);
        for (SagaStatus status : SagaStatus.values()) {
            counts.put(status, 0L);
        }
        journal.inOwnTransaction(() -> {
            journal.jdbc().sql("SELECT status, COUNT(*) AS sagas FROM " + sagas + " GROUP BY status")
                    .query(rs -> {
                        counts.put(SagaStatus.valueOf(rs.getString("status")), rs.getLong("sagas"));
                    });
            return null;
        });
        return counts;
    }

    /**
     * @param status a status
     * @return the earliest last-update time of the sagas in it (for {@code STUCK}: when the oldest one stuck), or empty
     */
    public Optional<Instant> oldestUpdate(SagaStatus status) {
        return journal.inOwnTransaction(() -> journal.jdbc().sql("SELECT MIN(updated_at) AS updated_at FROM " + sagas
                + " WHERE status = :status").param("status", status.name())
                .query((rs, row) -> Optional.ofNullable(journal.dialect().read(rs, "updated_at"))).single());
    }

    /**
     * An operator's retry: a {@code STUCK} saga becomes {@code COMPENSATING}, owned by {@code by} at a new epoch,
     * its persistent retries counted afresh. The caller then runs its pending compensations
     * ({@link SagaClaims#load}, {@link SagaJournal#resume}).
     * @param id the saga's id
     * @param by the instance that runs the retry
     * @return the saga at its new epoch, or empty when it is unknown or not {@code STUCK} (another operator won)
     */
    public Optional<SagaHandle> retry(String id, JournalInstance by) {
        return journal.inOwnTransaction(() -> {
            int rows = journal.jdbc().sql("UPDATE " + sagas + " SET status = 'COMPENSATING', owner_instance = :me,"
                    + " owner_name = :name, owner_epoch = owner_epoch + 1, attempts = 0, next_attempt_at = NULL,"
                    + " updated_at = :now WHERE id = :id AND status = 'STUCK'")
                    .params(Map.of("me", by.id(), "name", by.name(), "id", id, "now", journal.dialect().parameter(journal.now())))
                    .update();
            if (rows == 0) {
                return Optional.<SagaHandle>empty();
            }
            long epoch = journal.jdbc().sql("SELECT owner_epoch FROM " + sagas + " WHERE id = :id").param("id", id)
                    .query(Long.class).single();
            return Optional.of(new SagaHandle(id, epoch));
        });
    }

    /**
     * An operator closes a {@code STUCK} saga: {@code RESOLVED}, the note kept, nothing more runs (the epoch is
     * incremented, so a retry that was still running is fenced).
     * @param id the saga's id
     * @param note why, not blank
     * @return whether it was resolved; false when it is unknown or not {@code STUCK} (another operator won)
     */
    public boolean resolve(String id, String note) {
        if (note == null || note.isBlank()) {
            throw new IllegalArgumentException("A resolved saga needs a note saying why");
        }
        return journal.inOwnTransaction(() -> journal.jdbc().sql("UPDATE " + sagas + " SET status = 'RESOLVED',"
                + " note = :note, owner_epoch = owner_epoch + 1, next_attempt_at = NULL, updated_at = :now"
                + " WHERE id = :id AND status = 'STUCK'")
                .params(Map.of("note", note, "id", id, "now", journal.dialect().parameter(journal.now())))
                .update() == 1);
    }

    /**
     * An operator cancels a {@code RUNNING} saga: the request is recorded on its row, where the instance that runs
     * it finds it ({@link #cancelRequested}) — and where it survives a crash: recovery compensates the saga anyway.
     * The owner epoch is unchanged: the saga's owner keeps writing its record.
     * @param id the saga's id
     * @return whether the request was recorded; false when the saga is unknown or not {@code RUNNING}
     */
    public boolean requestCancel(String id) {
        return journal.inOwnTransaction(() -> journal.jdbc().sql("UPDATE " + sagas + " SET cancel_requested = TRUE,"
                + " updated_at = :now WHERE id = :id AND status = 'RUNNING'")
                .params(Map.of("id", id, "now", journal.dialect().parameter(journal.now())))
                .update() == 1);
    }

    /**
     * @param owner an instance
     * @return the ids of the {@code RUNNING} sagas it owns that an operator asked to cancel
     */
    public List<String> cancelRequested(JournalInstance owner) {
        return journal.inOwnTransaction(() -> journal.jdbc().sql("SELECT id FROM " + sagas
                + " WHERE status = 'RUNNING' AND owner_instance = :me AND cancel_requested = TRUE")
                .param("me", owner.id()).query(String.class).list());
    }

    /**
     * Purges finished sagas ({@code COMPLETED}, {@code FAILED}, {@code COMPENSATED}, {@code RESOLVED}; never
     * {@code STUCK}, {@code RUNNING} or {@code COMPENSATING}) last updated longer than {@code retention} ago
     * (application clock), batch after batch, each batch its own transaction.
     * @param retention how long finished sagas are kept
     * @param batchSize the most sagas per transaction
     * @return how many sagas were purged
     */
    public int purge(Duration retention, int batchSize) {
        int total = 0;
        int purged;
        do {
            purged = purgeBatch(retention, batchSize);
            total += purged;
        }
        while (purged == batchSize);
        return total;
    }

    /**
     * One batch of {@link #purge}: the rows are taken with {@code FOR UPDATE SKIP LOCKED}, so instances purging
     * at once delete different sagas.
     * @param retention how long finished sagas are kept
     * @param batchSize the most sagas to purge
     * @return how many sagas were purged
     */
    public int purgeBatch(Duration retention, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be positive, not " + batchSize);
        }
        Instant cutoff = journal.now().minus(retention);
        return journal.inClaimTransaction(() -> {
            List<String> ids = journal.jdbc().sql("SELECT id FROM " + sagas
                    + " WHERE status IN ('COMPLETED', 'FAILED', 'COMPENSATED', 'RESOLVED') AND updated_at < :cutoff"
                    + journal.dialect().claimOrder("updated_at, id") + " LIMIT :limit FOR UPDATE SKIP LOCKED")
                    .param("cutoff", journal.dialect().parameter(cutoff)).param("limit", batchSize)
                    .query(String.class).list();
            if (ids.isEmpty()) {
                return 0;
            }
            journal.jdbc().sql("DELETE FROM " + steps + " WHERE saga_id IN (:ids)").param("ids", ids).update();
            journal.jdbc().sql("DELETE FROM " + journal.tables().compensations() + " WHERE saga_id IN (:ids)").param("ids", ids)
                    .update();
            return journal.jdbc().sql("DELETE FROM " + sagas + " WHERE id IN (:ids)").param("ids", ids).update();
        });
    }
}
