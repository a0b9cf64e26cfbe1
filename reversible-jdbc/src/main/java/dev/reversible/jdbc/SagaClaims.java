package dev.reversible.jdbc;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Recovery's side of the journal: takes over the unfinished sagas of dead instances, loads a saga to
 * compensate, and finds this instance's persistent retries that are due.
 *
 * <pre>{@code
 * for (StoredSaga saga : claims.claimSagas(10, Set.of(), s -> true, id -> { })) {  // owner epoch incremented: the old owner is fenced
 *     JournaledSaga writer = sagaJournal.resume(saga.handle());
 *     for (StoredStep step : saga.stepsInRollbackOrder()) { ... compensate, writer.compensated(...) ... }
 *     writer.sagaCompensated();
 * }
 * }</pre>
 */
public final class SagaClaims {

    private final JdbcJournal journal;
    private final JournalInstance claimer;
    private final String sagas;
    private final String steps;

    /**
     * @param journal the journal's database
     * @param claimer this instance, which becomes the claimed sagas' owner
     */
    public SagaClaims(JdbcJournal journal, JournalInstance claimer) {
        this.journal = Objects.requireNonNull(journal, "journal");
        this.claimer = Objects.requireNonNull(claimer, "claimer");
        this.sagas = journal.tables().sagas();
        this.steps = journal.tables().steps();
    }

    /**
     * Claims up to {@code batchSize} {@code RUNNING} or {@code COMPENSATING} sagas whose owner is dead (heartbeat
     * older than the instance timeout on the database's clock, or no row at all), oldest first, in one
     * transaction: the rows are locked with {@code SELECT … FOR UPDATE SKIP LOCKED}, so two claimers never get
     * the same saga and never wait for each other; each saga's owner becomes this instance, its epoch is
     * incremented, its status becomes {@code COMPENSATING} and it is marked recovered; its steps still
     * {@code RUNNING} become {@code UNKNOWN} (in doubt), or {@code UNDONE_BY_TRANSACTION} when they had joined a
     * transaction (that transaction died with its connection). {@code STUCK} sagas are never claimed.
     * @param batchSize the most sagas to claim, small so that a claim's locks are short
     * @return the claimed sagas, each at its new epoch
     */
    public List<SagaHandle> claim(int batchSize) {
        return claim(batchSize, Set.of(), saga -> true, id -> { });
    }

    /**
     * Claims as {@link #claim(int)} does, but only the sagas {@code accept} takes: a candidate it refuses (one
     * this instance's code cannot compensate: another release wrote it) is left unclaimed and unchanged, for
     * another instance, and handed to {@code refused}.
     * @param batchSize the most candidates to look at
     * @param skip ids not to look at again (refused earlier in this round)
     * @param accept whether to take a candidate, given with its steps
     * @param refused told the id of each candidate left
     * @return the claimed sagas, each at its new epoch
     */
    public List<SagaHandle> claim(int batchSize, Set<String> skip, Predicate<StoredSaga> accept, Consumer<String> refused) {
        return claimSagas(batchSize, skip, accept, refused).stream().map(StoredSaga::handle).toList();
    }

    /**
     * Claims as {@link #claim(int, Set, Predicate, Consumer)} does, and returns the claimed sagas with their
     * steps as the claim leaves them: read in the claim's own transaction while their rows are locked (three
     * reads for the whole batch, the same that {@code accept} is given), so that recovery need not load each
     * one again.
     * @param batchSize the most candidates to look at
     * @param skip ids not to look at again (refused earlier in this round)
     * @param accept whether to take a candidate, given with its steps
     * @param refused told the id of each candidate left
     * @return the claimed sagas, each {@code COMPENSATING} at its new epoch, oldest first, its steps that were
     *     {@code RUNNING} now {@code UNKNOWN} or {@code UNDONE_BY_TRANSACTION}
     */
    public List<StoredSaga> claimSagas(int batchSize, Set<String> skip, Predicate<StoredSaga> accept, Consumer<String> refused) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be positive, not " + batchSize);
        }
        String instances = journal.tables().instances();
        String deadline = journal.dialect().databaseNowMinus(journal.settings().instanceTimeout());
        // Never this instance's own sagas, even when its row looks dead (it was paused, or deleted): they run here, in
        // memory, and claiming them would compensate a saga that is still going on.
        String claimable = " status IN ('RUNNING', 'COMPENSATING') AND owner_instance <> :me AND NOT EXISTS (SELECT 1 FROM " + instances
                + " WHERE " + instances + ".id = " + sagas + ".owner_instance AND " + instances + ".heartbeat >= "
                + deadline + ")";
        return journal.inClaimTransaction(() -> {
            String notSkipped = skip.isEmpty() ? "" : " AND id NOT IN (:skip)";
            var select = journal.jdbc().sql("SELECT id FROM " + sagas + " WHERE" + claimable + notSkipped
                    + journal.dialect().claimOrder("started_at, id") + " LIMIT :limit FOR UPDATE SKIP LOCKED")
                    .param("limit", batchSize).param("me", claimer.id());
            if (!skip.isEmpty()) {
                select = select.param("skip", List.copyOf(skip));
            }
            List<String> locked = select.query((rs, row) -> rs.getString("id")).list();
            if (locked.isEmpty()) {
                return List.<StoredSaga>of();
            }
            // Checked again, now that the rows are ours: PostgreSQL re-checks a row that another claimer updated
            // and committed while this statement waited against the row's new version but the join's old rows,
            // so a saga a live instance had just claimed could pass as still owned by the dead one. A new
            // statement reads the latest committed state, and nobody can change these rows until we commit. It
            // reads them whole, with their steps: what accept decides on, and what recovery compensates.
            List<StoredSaga> candidates = SagaReader.withSteps(journal, journal.jdbc().sql("SELECT " + Rows.SAGA_COLUMNS
                    + " FROM " + sagas + " WHERE id IN (:ids) AND" + claimable + " ORDER BY started_at, id")
                    .param("ids", locked).param("me", claimer.id()));
            List<StoredSaga> taken = new ArrayList<>();
            for (StoredSaga candidate : candidates) {
                if (accept.test(candidate)) {
                    taken.add(candidate);
                } else {
                    refused.accept(candidate.id());
                }
            }
            if (taken.isEmpty()) {
                return List.<StoredSaga>of();
            }
            List<String> ids = taken.stream().map(StoredSaga::id).toList();
            Instant now = journal.now();
            journal.jdbc().sql("UPDATE " + sagas + " SET owner_instance = :me, owner_name = :name,"
                    + " owner_epoch = owner_epoch + 1, status = 'COMPENSATING', recovered = TRUE, updated_at = :now"
                    + " WHERE id IN (:ids)")
                    .params(Map.of("me", claimer.id(), "name", claimer.name(), "ids", ids,
                            "now", journal.dialect().parameter(now)))
                    .update();
            journal.jdbc().sql("UPDATE " + steps + " SET status = CASE WHEN joined_transaction = TRUE"
                    + " THEN 'UNDONE_BY_TRANSACTION' ELSE 'UNKNOWN' END WHERE saga_id IN (:ids) AND status = 'RUNNING'")
                    .param("ids", ids).update();
            return taken.stream().map(saga -> claimed(saga, now)).toList();
        });
    }

    /** A saga as the claim's two updates leave it: the same changes, made to what was read. */
    private StoredSaga claimed(StoredSaga saga, Instant now) {
        List<StoredStep> claimedSteps = saga.steps().stream().map(step -> step.status() != StepStatus.RUNNING ? step
                : new StoredStep(step.index(), step.parentIndex(), step.beanName(), step.actionName(), step.argumentsJson(),
                        step.resultJson(), step.joinedTransaction() ? StepStatus.UNDONE_BY_TRANSACTION : StepStatus.UNKNOWN,
                        step.joinedTransaction(), step.attempts(), step.lastError(), step.startedAt(), step.endedAt(),
                        step.compensations()))
                .toList();
        return new StoredSaga(saga.id(), saga.name(), SagaStatus.COMPENSATING, claimer.id(), claimer.name(), saga.ownerEpoch() + 1,
                saga.startedAt(), now, saga.failedStep(), saga.lastError(), true, saga.note(), saga.nextAttemptAt(),
                saga.attempts(), claimedSteps);
    }

    /**
     * Loads a saga this instance holds, with its steps; {@link StoredSaga#stepsInRollbackOrder()} gives them in
     * reverse order of start, the order to compensate them in.
     * @param handle the saga and the epoch this instance holds
     * @return the saga
     * @throws JournalFencedException when the saga is gone or another owner holds it now
     */
    public StoredSaga load(SagaHandle handle) {
        Optional<StoredSaga> saga = SagaReader.find(journal, handle.sagaId());
        if (saga.isEmpty() || saga.get().ownerEpoch() != handle.epoch()) {
            throw new JournalFencedException(handle, "load");
        }
        return saga.get();
    }

    /**
     * @param limit the most sagas to return
     * @return this instance's {@code COMPENSATING} sagas whose next persistent retry is due now (application
     *     clock), soonest first
     */
    public List<SagaHandle> dueRetries(int limit) {
        return journal.inOwnTransaction(() -> journal.jdbc().sql("SELECT id, owner_epoch FROM " + sagas
                + " WHERE owner_instance = :me AND status = 'COMPENSATING' AND next_attempt_at <= :now"
                + " ORDER BY next_attempt_at, id LIMIT :limit")
                .params(Map.of("me", claimer.id(), "now", journal.dialect().parameter(journal.now()), "limit", limit))
                .query((rs, row) -> new SagaHandle(rs.getString("id"), rs.getLong("owner_epoch"))).list());
    }

    /**
     * As {@link #dueRetries}, with each saga read whole — its steps and their attempts — in one transaction (three
     * reads for all of them), so that recovery need not load each one again.
     * @param limit the most sagas to return
     * @return this instance's {@code COMPENSATING} sagas whose next persistent retry is due, soonest first
     */
    public List<StoredSaga> dueRetrySagas(int limit) {
        return journal.inOwnTransaction(() -> SagaReader.withSteps(journal, journal.jdbc().sql("SELECT " + Rows.SAGA_COLUMNS
                + " FROM " + sagas + " WHERE owner_instance = :me AND status = 'COMPENSATING' AND next_attempt_at <= :now"
                + " ORDER BY next_attempt_at, id LIMIT :limit")
                .params(Map.of("me", claimer.id(), "now", journal.dialect().parameter(journal.now()), "limit", limit))));
    }
}
