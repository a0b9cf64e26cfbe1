package dev.reversible.jdbc;

import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * One saga as this instance writes it: its life from the first step's start to its end, compensation or
 * stuck state. Obtained from {@link SagaJournal#begin} (a new saga) or {@link SagaJournal#resume} (one
 * taken over).
 *
 * <p><b>Commits.</b> A step's start is committed before its {@code forwards} runs; its end
 * ({@link #stepCompleted}, {@link #stepFailed}) is only buffered and rides on the next commit — the next
 * step's start, the saga's end or its compensation. So the success path costs one commit per step plus one
 * at the end, and a crash leaves at worst a step recorded {@code RUNNING} whose outcome is unknown. The
 * saga's own row is written in its first step's commit.
 *
 * <p><b>In the step's transaction.</b> A step whose work is all in its own transaction on the journal's
 * {@code DataSource} has its record written in that transaction, start and end in one insert just before it
 * commits ({@link #prepare}, {@link #writeInCurrentTransaction}): no commit of the journal's for it, the saga's row with the first such
 * record. A saga whose steps are all recorded so costs the journal one commit: its end.
 *
 * <p><b>Fencing.</b> Every write is conditional on the saga's row still holding this writer's owner epoch — a
 * step's start record is inserted from that row ({@code INSERT … SELECT … WHERE owner_epoch = ? FOR UPDATE}), every
 * other write first updates it; when it does not, the transaction writes nothing and
 * {@link JournalFencedException} is thrown, and every later write of this object throws it too.
 *
 * <p><b>Times.</b> A step's start time is written with its start record and its end time with its end record
 * (the application's clock, as the saga's own times), so recording them costs no statement. Each attempt of a
 * step's compensation is a row of its own, written with the attempt's outcome: it started when
 * {@link #compensationStarted} said, or, when nobody said, when the last thing this writer recorded ended
 * (the failed step's end, or the previous attempt's) — exact for a sequential rollback, where one attempt
 * follows the other, and counting a retry's backoff into the attempt after it.
 *
 * <p><b>Threads.</b> Safe for concurrent use (asynchronous steps end on other threads); writes of one saga
 * are serialized.
 */
public final class JournaledSaga {

    /** A step's end record: its outcome, result or failure, and when it ended. */
    private static final String END_UPDATE = "UPDATE %s SET status = :status, result = :result, error_class = :errorClass,"
            + " error_message = :errorMessage, error_stack = :errorStack, ended_at = :endedAt"
            + " WHERE saga_id = :saga AND step_index = :index AND status = 'RUNNING'";

    private static final String END_INSTANT = "endInstant";

    /** The saga's row, as its first record writes it. */
    private static final String SAGA_INSERT = "INSERT INTO %s (id, name, status, owner_instance, owner_name, owner_epoch, started_at,"
            + " updated_at, recovered, attempts) VALUES (:id, :name, 'RUNNING', :owner, :ownerName, :epoch, :now, :now, FALSE, 0)";

    private final JdbcJournal journal;
    private final JournalInstance owner;
    private final SagaHandle handle;
    private final String name;
    private final String sagas;
    private final String steps;
    private final String compensations;
    private final List<Map<String, Object>> pendingEnds = new ArrayList<>();
    private final Map<Integer, AttemptStart> attemptStarts = new HashMap<>();
    private boolean written;
    /** The saga's row was written in a step's transaction that is still open: invisible to the journal's own. */
    private boolean sagaRowUncommitted;
    private boolean fenced;
    private boolean compensationsWritten;
    /** When the last thing this writer recorded ended: where an attempt nobody announced is taken to start. */
    private Instant lastMark;

    JournaledSaga(JdbcJournal journal, JournalInstance owner, SagaHandle handle, String name, boolean written) {
        this.journal = journal;
        this.owner = owner;
        this.handle = handle;
        this.name = name;
        this.written = written;
        this.sagas = journal.tables().sagas();
        this.steps = journal.tables().steps();
        this.compensations = journal.tables().compensations();
        this.lastMark = written ? journal.now() : null;
    }

    /** @return the saga's id and the epoch this writer holds */
    public SagaHandle handle() {
        return handle;
    }

    /**
     * Records a step before its {@code forwards} runs, with every step end buffered since the last commit, in
     * one commit. When this throws, the step must not run.
     * @param start the step
     * @throws JournalPayloadException when an argument cannot be written as JSON (nothing written)
     * @throws JournalFencedException when another owner holds the saga
     */
    public synchronized void stepStarted(StepStart start) {
        String arguments = journal.json().writeArguments(start.arguments());
        checkNotFenced("step " + start.index() + " start");
        if (sagaRowUncommitted) {
            throw new IllegalStateException("Step " + start.actionName() + " #" + start.index() + " of saga " + name + " (" + handle.sagaId()
                    + ") not run: the saga's first record is written in a step's transaction that is still open"
                    + " (StepRecord.IN_TRANSACTION), and a step in a transaction of its own cannot be recorded until it commits."
                    + " Let this step join that transaction, or record the outer step WRITE_AHEAD");
        }
        boolean sagaRow = !written;
        journal.inOwnTransaction(() -> {
            writePendingEnds();
            insertStep(start, arguments, true, journal.now(), null, sagaRow);
        });
        written = true;
        pendingEnds.clear();
    }

    /**
     * Prepares the record of a step whose record is written in its own transaction — on the journal's
     * {@code DataSource}, when it declared all its work to be in it ({@code StepRecord.IN_TRANSACTION}) — before the
     * step runs: its arguments are written as JSON now (a failure here stops the step) and its start time is taken.
     * Nothing is written until {@link #writeInCurrentTransaction} writes it, with its end when it has one, just
     * before that transaction commits.
     * @param start the step
     * @return the record to complete and write
     * @throws JournalPayloadException when an argument cannot be written as JSON
     */
    public PendingStep prepare(StepStart start) {
        return new PendingStep(start, journal.json().writeArguments(start.arguments()), journal.now());
    }

    /**
     * Writes step records in the caller's current transaction, just before it commits — the steps' own: the steps
     * and their records commit or vanish together, and the journal adds no commit. One insert per step, its end
     * included when it has one, fenced by its own condition (read without locking the saga's row, so that the
     * journal's own writes for this saga are never blocked by the application's transaction; as for
     * {@link #stepEndedInCurrentTransaction}, a claim committed between that read and the commit is not seen). The
     * saga's row goes with the first records; when that transaction rolls back, the next record writes it again.
     * The step ends buffered so far are written in it too, and stay buffered until it commits.
     * @param records the steps, in the order they started
     * @throws JournalFencedException when another owner holds the saga (the caller's transaction must roll back)
     * @throws IllegalStateException when no transaction is active on the journal's {@code DataSource}
     */
    public synchronized void writeInCurrentTransaction(List<PendingStep> records) {
        journal.requireCallerTransaction("A step record in the step's transaction");
        if (records.isEmpty()) {
            return;
        }
        checkNotFenced("step " + records.get(0).start.index() + " record");
        boolean sagaRow = !written;
        if (sagaRow) {
            written = true;
            sagaRowUncommitted = true;
        }
        // The ends buffered so far ride on this commit too; they stay buffered until it is known to have happened.
        List<Map<String, Object>> ends = List.copyOf(pendingEnds);
        writePendingEnds();
        if (sagaRow || !ends.isEmpty()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    recordTransactionEnded(status == STATUS_COMMITTED, sagaRow, ends);
                }
            });
        }
        boolean withSagaRow = sagaRow;
        for (PendingStep record : records) {
            insertStep(record.start, record.arguments, false, record.startedAt, record.end, withSagaRow);
            withSagaRow = false;
        }
    }

    /**
     * A step record prepared by {@link #prepare}, written by {@link #writeInCurrentTransaction}: with its end once
     * {@link #ended} says how the step ended, else as running.
     */
    public final class PendingStep {

        private final StepStart start;
        private final String arguments;
        private final Instant startedAt;
        private volatile Map<String, Object> end;

        private PendingStep(StepStart start, String arguments, Instant startedAt) {
            this.start = start;
            this.arguments = arguments;
            this.startedAt = startedAt;
        }

        /** @return the step's index */
        public int index() {
            return start.index();
        }

        /**
         * The step ended: its record will say how.
         * @param how its outcome, result or failure
         * @throws JournalPayloadException when the result cannot be written as JSON
         */
        public void ended(StepEnd how) {
            Map<String, Object> params = endParams(how);
            synchronized (JournaledSaga.this) {
                lastMark = (Instant) params.get(END_INSTANT);
            }
            end = params;
        }
    }

    /**
     * A transaction that wrote a step record ended. Committed, the ends it carried are written; rolled back, they
     * are still buffered and, when it wrote the saga's row, the row is gone: the next record writes it again.
     */
    private synchronized void recordTransactionEnded(boolean committed, boolean sagaRow, List<Map<String, Object>> ends) {
        if (sagaRow) {
            sagaRowUncommitted = false;
            written = committed;
        }
        if (committed) {
            pendingEnds.removeAll(ends);
        }
    }

    /**
     * Inserts a step's start record on the condition that the saga's row holds this writer's epoch (the fence):
     * in one statement, from the saga's row — locking it until the transaction ends ({@code lock}: a claim skips
     * it rather than racing with it) or not; where reading it for an insert would lock it anyway (InnoDB), by a
     * plain read of the epoch and an insert.
     */
    private void insertStep(StepStart start, String arguments, boolean lock, Instant startedAt, Map<String, Object> end, boolean sagaRow) {
        Map<String, Object> params = new LinkedHashMap<>();
        if (end != null) {
            params.putAll(end);
        }
        params.put("saga", handle.sagaId());
        params.put("epoch", handle.epoch());
        params.put("index", start.index());
        params.put("parent", new SqlParameterValue(Types.INTEGER, start.parentIndex() < 0 ? null : start.parentIndex()));
        params.put("bean", start.beanName());
        params.put("action", start.actionName());
        params.put("arguments", arguments);
        params.put("joined", start.joinedTransaction());
        params.put("startedAt", journal.dialect().parameter(startedAt));
        String columns = "INSERT INTO " + steps + " (saga_id, step_index, parent_index, bean_name, action_name, arguments, status,"
                + " joined_transaction, attempts, started_at" + (end == null ? ")" : ", result, error_class, error_message, error_stack, ended_at)");
        String values = ":index, :parent, :bean, :action, :arguments, " + (end == null ? "'RUNNING'" : ":status") + ", :joined, 0, :startedAt"
                + (end == null ? "" : ", :result, :errorClass, :errorMessage, :errorStack, :endedAt");
        int rows;
        if (sagaRow && journal.dialect().modifiesInWith()) {
            // The saga's row and its first step's in one statement: no fence, the row is this writer's own
            params.putAll(sagaParams(startedAt));
            rows = journal.jdbc().sql("WITH saga AS (" + SAGA_INSERT.formatted(sagas) + " RETURNING id) " + columns + " SELECT id, "
                    + values + " FROM saga").params(params).update();
        }
        else if (sagaRow) {
            journal.jdbc().sql(SAGA_INSERT.formatted(sagas)).params(sagaParams(startedAt)).update();
            rows = journal.jdbc().sql(columns + " VALUES (:saga, " + values + ")").params(params).update();
        }
        else if (!lock && journal.dialect().insertSelectLocksSource()) {
            List<Long> epoch = journal.jdbc().sql("SELECT owner_epoch FROM " + sagas + " WHERE id = :saga").params(params)
                    .query(Long.class).list();
            rows = epoch.equals(List.of(handle.epoch()))
                    ? journal.jdbc().sql(columns + " VALUES (:saga, " + values + ")").params(params).update() : 0;
        }
        else {
            rows = journal.jdbc().sql(columns + " SELECT id, " + values + " FROM " + sagas + " WHERE id = :saga AND owner_epoch = :epoch"
                    + (lock ? " FOR UPDATE" : "")).params(params).update();
        }
        if (rows == 0) {
            throw fencedOut("step " + start.index() + " start");
        }
    }

    /**
     * Buffers a step's successful end until the next commit.
     * @param index the step's index
     * @param result what its {@code forwards} returned
     * @throws JournalPayloadException when the result cannot be written as JSON
     */
    public void stepCompleted(int index, Object result) {
        stepEnded(StepEnd.completed(index, result));
    }

    /**
     * Buffers a step's failure until the next commit (its compensation, which follows at once).
     * @param index the step's index
     * @param failure what its {@code forwards} threw
     */
    public void stepFailed(int index, Throwable failure) {
        stepEnded(StepEnd.failed(index, failure));
    }

    /**
     * Buffers a step's end until the next commit.
     * @param end how the step ended
     * @throws JournalPayloadException when the result cannot be written as JSON
     */
    public void stepEnded(StepEnd end) {
        Map<String, Object> params = endParams(end);
        synchronized (this) {
            pendingEnds.add(params);
            lastMark = (Instant) params.get(END_INSTANT);
        }
    }

    /**
     * Commits the buffered step ends now, when no other write is coming soon (an asynchronous step that ended
     * after the saga's body returned, before a long wait). Does nothing when none is buffered.
     */
    public synchronized void flush() {
        if (pendingEnds.isEmpty() || !written) {
            return;
        }
        checkNotFenced("step ends");
        journal.inOwnTransaction(() -> {
            fence("", Map.of(), "step ends");
            writePendingEnds();
        });
        pendingEnds.clear();
    }

    /**
     * Writes a step's end inside the caller's current transaction — for a step that joined a transaction it
     * did not start: a rollback erases this record together with the step's work, and recovery finds the
     * step {@code RUNNING} with {@link StepStart#joinedTransaction()} set, so it knows the database undid it.
     * The fence here only reads the saga's row without locking it, so the journal's own next write for this
     * saga, in its own transaction, is not blocked by the still-open caller transaction. (A claim that commits
     * between that read and the caller's commit is not seen: the former owner's business work is not fenced
     * either — the reason the instance timeout must exceed any pause a live owner can take.)
     * @param end how the step ended
     * @throws IllegalStateException when no transaction is active on the journal's {@code DataSource}
     * @throws JournalFencedException when another owner holds the saga
     */
    public synchronized void stepEndedInCurrentTransaction(StepEnd end) {
        journal.requireCallerTransaction("A joined step's end");
        checkNotFenced("step " + end.index() + " end");
        Map<String, Object> params = endParams(end);
        // A plain read, not a locking one: a lock on the saga's row held by the caller's open transaction
        // would block the journal's own next write for this saga, made from this very thread.
        List<Long> epoch = journal.jdbc().sql("SELECT owner_epoch FROM " + sagas + " WHERE id = :id")
                .param("id", handle.sagaId()).query(Long.class).list();
        if (!epoch.equals(List.of(handle.epoch()))) {
            throw fencedOut("step " + end.index() + " end");
        }
        journal.jdbc().sql(END_UPDATE.formatted(steps)).params(params).update();
        lastMark = (Instant) params.get(END_INSTANT);
    }

    /**
     * The saga ended normally: its rows are deleted ({@link CompletedSagas#DELETE}), or it is kept as
     * {@link SagaStatus#COMPLETED} with the buffered step ends. One commit; none when no step was recorded.
     */
    public synchronized void completed() {
        ended(SagaStatus.COMPLETED, null);
    }

    /**
     * The saga ended by an exception that does not roll it back ({@code noRollbackFor}): its completed steps
     * stand. Deleted, or kept as {@link SagaStatus#FAILED} with the error.
     * @param failure the exception
     */
    public synchronized void failed(Throwable failure) {
        ended(SagaStatus.FAILED, ErrorText.of(failure));
    }

    private void ended(SagaStatus status, ErrorText error) {
        if (!written) {
            return;
        }
        checkNotFenced("saga end");
        if (journal.settings().completedSagas() == CompletedSagas.DELETE && journal.dialect().modifiesInWith() && !compensationsWritten) {
            // The saga's row and its steps' in one statement, fenced by the saga row's epoch: one commit, one round trip
            int rows = journal.numberInOwnCommit("WITH saga AS (DELETE FROM " + sagas + " WHERE id = ? AND owner_epoch = ? RETURNING id),"
                    + " gone AS (DELETE FROM " + steps + " WHERE saga_id IN (SELECT id FROM saga)) SELECT COUNT(*) FROM saga",
                    handle.sagaId(), handle.epoch());
            if (rows == 0) {
                throw fencedOut("saga end");
            }
        }
        else if (journal.settings().completedSagas() == CompletedSagas.DELETE) {
            journal.inOwnTransaction(() -> {
                int rows = journal.jdbc().sql("DELETE FROM " + sagas + " WHERE id = :id AND owner_epoch = :epoch")
                        .param("id", handle.sagaId()).param("epoch", handle.epoch()).update();
                if (rows == 0) {
                    throw fencedOut("saga end");
                }
                journal.jdbc().sql("DELETE FROM " + steps + " WHERE saga_id = :id").param("id", handle.sagaId()).update();
                if (compensationsWritten) {
                    // only a saga that compensated a step it then carried on without (rule 6) has any
                    journal.jdbc().sql("DELETE FROM " + compensations + " WHERE saga_id = :id").param("id", handle.sagaId()).update();
                }
            });
        }
        else {
            journal.inOwnTransaction(() -> {
                fence(", status = :status" + errorSets(), statusParams(status, error), "saga end");
                writePendingEnds();
            });
        }
        pendingEnds.clear();
    }

    /**
     * The saga starts undoing its steps: {@link SagaStatus#COMPENSATING}, with the buffered step ends (the
     * failed step's included). Nothing is written when no step was recorded (there is nothing to undo).
     * @param failedStep the action name of the step whose failure started it, or null (the body failed, or recovery)
     * @param cause why, or null
     */
    public synchronized void compensating(String failedStep, Throwable cause) {
        compensating(failedStep, ErrorText.of(cause));
    }

    /**
     * As {@link #compensating(String, Throwable)}, with the failure already as text (recovery's reason).
     * @param failedStep the action name of the failed step, or null
     * @param cause why, or null
     */
    public synchronized void compensating(String failedStep, ErrorText cause) {
        if (!written) {
            return;
        }
        checkNotFenced("compensating");
        Map<String, Object> params = statusParams(SagaStatus.COMPENSATING, cause);
        params.put("failedStep", new SqlParameterValue(Types.VARCHAR, failedStep));
        journal.inOwnTransaction(() -> {
            fence(", status = :status, failed_step = COALESCE(:failedStep, failed_step)"
                    + (cause == null ? "" : errorSets()), params, "compensating");
            writePendingEnds();
        });
        pendingEnds.clear();
        if (lastMark == null) {
            lastMark = journal.now();
        }
    }

    /**
     * An attempt of a step's compensation starts now. Writes nothing: the time is kept until the attempt's
     * outcome ({@link #compensated}, {@link #compensationFailed}) is written with it. Without this call an
     * attempt is taken to start when the last thing this writer recorded ended.
     * @param index the step's index
     * @param attempt the attempt, from 1, counted as in {@link #compensated}
     */
    public synchronized void compensationStarted(int index, int attempt) {
        attemptStarts.put(index, new AttemptStart(attempt, journal.now()));
    }

    /**
     * A step's compensation succeeded.
     * @param index the step's index
     * @param attempts its compensation attempts in total, in memory and persistent
     */
    public synchronized void compensated(int index, int attempts) {
        stepStatus(index, StepStatus.COMPENSATED, attempts, null, attempt(index, attempts, null));
    }

    /**
     * A step's compensation succeeded, as {@link #compensated(int, int)} writes it, in one statement where the
     * database allows it; and when it was the saga's last compensation to run, the saga is
     * {@link SagaStatus#COMPENSATED} in the same commit, so that {@link #sagaCompensated()} need not follow.
     * One commit.
     * @param index the step's index
     * @param attempts its compensation attempts in total, in memory and persistent
     * @param sagaCompensated whether every other step of the saga is compensated (or was undone by its
     *     transaction) already: the saga ends with this mark
     * @throws JournalFencedException when another owner holds the saga (nothing written)
     */
    public synchronized void compensated(int index, int attempts, boolean sagaCompensated) {
        if (!written) {
            return;
        }
        String operation = "step " + index + " " + StepStatus.COMPENSATED;
        checkNotFenced(operation);
        journal.inOwnTransaction(() -> {
            writeCompensated(index, attempts, sagaCompensated, operation);
            writePendingEnds();
        });
        pendingEnds.clear();
    }

    /**
     * As {@link #compensatedInCurrentTransaction(int, int)} — the mark inside the handler's transaction — in one
     * statement where the database allows it, and with the saga's end when it was the last compensation to run.
     * @param index the step's index
     * @param attempts its compensation attempts in total
     * @param sagaCompensated whether the saga ends with this mark (see {@link #compensated(int, int, boolean)})
     * @throws IllegalStateException when no transaction is active on the journal's {@code DataSource}
     * @throws JournalFencedException when another owner holds the saga (the caller should roll back)
     */
    public synchronized void compensatedInCurrentTransaction(int index, int attempts, boolean sagaCompensated) {
        journal.requireCallerTransaction("A compensation's mark");
        String operation = "step " + index + " " + StepStatus.COMPENSATED;
        checkNotFenced(operation);
        writeCompensated(index, attempts, sagaCompensated, operation);
    }

    /**
     * The fence (which locks the saga's row until the transaction ends, so a claim skips it rather than racing
     * with it), the step's {@code COMPENSATED}, the attempt's row and, when {@code sagaCompensated}, the saga's
     * end: on PostgreSQL one statement (each round trip is most of a compensation's cost in recovery), on the
     * other databases the same three statements as {@link #compensated(int, int)}. Buffered step ends are the
     * caller's to write.
     */
    private void writeCompensated(int index, int attempts, boolean sagaCompensated, String operation) {
        Map<String, Object> params = attempt(index, attempts, null);
        params.put("epoch", handle.epoch());
        params.put("now", journal.dialect().parameter(journal.now()));
        params.put("attempts", attempts);
        String sagaEnd = sagaCompensated ? ", status = '" + SagaStatus.COMPENSATED + "', next_attempt_at = NULL" : "";
        if (!journal.dialect().modifiesInWith()) {
            fence(sagaEnd, Map.of(), operation);
            writeStepStatus(index, StepStatus.COMPENSATED, attempts, null);
            writeAttempt(params);
            return;
        }
        // The step and the attempt are written only from the fence's row: no row, nothing written. A mark that
        // does not end the saga only locks the row (FOR NO KEY UPDATE still makes a claim's FOR UPDATE SKIP
        // LOCKED skip it): no new row version, no index entries — a third of recovery's statements write less.
        String fence = sagaCompensated
                ? "UPDATE " + sagas + " SET updated_at = :now" + sagaEnd + " WHERE id = :saga AND owner_epoch = :epoch RETURNING id"
                : "SELECT id FROM " + sagas + " WHERE id = :saga AND owner_epoch = :epoch FOR NO KEY UPDATE";
        long fenced = journal.jdbc().sql("WITH fence AS (" + fence + "),"
                + " step AS (UPDATE " + steps + " SET status = '" + StepStatus.COMPENSATED + "', attempts = GREATEST(attempts, :attempts)"
                + " WHERE saga_id IN (SELECT id FROM fence) AND step_index = :index RETURNING step_index),"
                + " attempt_row AS (INSERT INTO " + compensations + " (saga_id, step_index, attempt, started_at, ended_at, outcome,"
                + " error_class, error_message) SELECT id, :index, :attempt, :startedAt, :endedAt, :outcome, :errorClass,"
                + " :errorMessage FROM fence WHERE NOT EXISTS (SELECT 1 FROM " + compensations
                + " WHERE saga_id = :saga AND step_index = :index AND attempt = :attempt) RETURNING attempt)"
                + " SELECT COUNT(*) FROM fence").params(params).query(Long.class).single();
        if (fenced == 0) {
            throw fencedOut(operation);
        }
        compensationsWritten = true;
    }

    /**
     * A step's compensation succeeded, written inside the caller's current transaction — the handler's
     * transaction on the journal's {@code DataSource}, so that the handler's work and this mark commit
     * together (exactly once). Locks the saga's row until that transaction ends: make no other journal write
     * for this saga inside it.
     * @param index the step's index
     * @param attempts its compensation attempts in total
     * @throws IllegalStateException when no transaction is active on the journal's {@code DataSource}
     * @throws JournalFencedException when another owner holds the saga (the caller should roll back)
     */
    public synchronized void compensatedInCurrentTransaction(int index, int attempts) {
        journal.requireCallerTransaction("A compensation's mark");
        checkNotFenced("step " + index + " compensated");
        fence("", Map.of(), "step " + index + " compensated");
        writeStepStatus(index, StepStatus.COMPENSATED, attempts, null);
        writeAttempt(attempt(index, attempts, null));
    }

    /**
     * A step's compensation failed (after its in-memory attempts).
     * @param index the step's index
     * @param attempts its compensation attempts in total
     * @param failure the last failure
     */
    public synchronized void compensationFailed(int index, int attempts, Throwable failure) {
        ErrorText error = ErrorText.of(failure);
        stepStatus(index, StepStatus.COMPENSATION_FAILED, attempts, error, attempt(index, attempts, error));
    }

    /**
     * A step's work was undone by its transaction's rollback; its handler was not called.
     * @param index the step's index
     */
    public synchronized void undoneByTransaction(int index) {
        stepStatus(index, StepStatus.UNDONE_BY_TRANSACTION, 0, null, null);
    }

    /** Every step is undone: {@link SagaStatus#COMPENSATED}, kept until the retention purges it. */
    public synchronized void sagaCompensated() {
        sagaStatus(SagaStatus.COMPENSATED, null);
    }

    /**
     * Gives up: {@link SagaStatus#STUCK}, for an operator. For a compensation that failed after its retries, a
     * non-retryable failure, a handler that no longer exists or arguments that no longer read.
     * @param reason why
     */
    public synchronized void stuck(ErrorText reason) {
        sagaStatus(SagaStatus.STUCK, reason);
    }

    /**
     * Persistent retry bookkeeping, after a compensation failed all its in-memory attempts: counts one more
     * retry and, while the retries of {@link JournalSettings#retry()} are not exhausted, keeps the saga
     * {@link SagaStatus#COMPENSATING} with its next attempt due after the backoff (application clock);
     * otherwise marks it {@link SagaStatus#STUCK}. A failure of a non-retryable type
     * ({@link RetryBackoff#isRetryable}) marks it {@code STUCK} at once. One commit.
     * @param failure the last failure
     * @return when the next retry is due, or empty when the saga is now stuck
     */
    public synchronized Optional<Instant> retryLater(Throwable failure) {
        checkNotFenced("retry");
        RetryBackoff backoff = journal.settings().retry();
        ErrorText error = ErrorText.of(failure);
        return journal.inOwnTransaction(() -> {
            fence(", attempts = attempts + 1", Map.of(), "retry");
            int attempts = journal.jdbc().sql("SELECT attempts FROM " + sagas + " WHERE id = :id")
                    .param("id", handle.sagaId()).query(Integer.class).single();
            if (attempts > backoff.maxAttempts() || !backoff.isRetryable(failure)) {
                fence(", status = :status, next_attempt_at = NULL" + errorSets(), statusParams(SagaStatus.STUCK, error), "stuck");
                return Optional.<Instant>empty();
            }
            Instant next = journal.now().plus(backoff.delay(attempts));
            Map<String, Object> params = statusParams(SagaStatus.COMPENSATING, error);
            params.put("next", journal.dialect().parameter(next));
            fence(", status = :status, next_attempt_at = :next" + errorSets(), params, "retry");
            return Optional.of(next);
        });
    }

    private void stepStatus(int index, StepStatus status, int attempts, ErrorText error, Map<String, Object> attempt) {
        if (!written) {
            return;
        }
        String operation = "step " + index + " " + status;
        checkNotFenced(operation);
        journal.inOwnTransaction(() -> {
            fence("", Map.of(), operation);
            writePendingEnds();
            writeStepStatus(index, status, attempts, error);
            if (attempt != null) {
                writeAttempt(attempt);
            }
        });
        pendingEnds.clear();
    }

    /** One compensation attempt's row: ended now, started as announced or at the last mark. */
    private Map<String, Object> attempt(int index, int attempt, ErrorText error) {
        Instant ended = journal.now();
        AttemptStart announced = attemptStarts.remove(index);
        Instant started = announced != null && announced.attempt() == attempt ? announced.at()
                : lastMark != null && !lastMark.isAfter(ended) ? lastMark : ended;
        lastMark = ended;
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("saga", handle.sagaId());
        params.put("index", index);
        params.put("attempt", attempt);
        params.put("startedAt", journal.dialect().parameter(started));
        params.put("endedAt", journal.dialect().parameter(ended));
        params.put("outcome", error == null ? CompensationOutcome.COMPENSATED.name() : CompensationOutcome.FAILED.name());
        params.put("errorClass", new SqlParameterValue(Types.VARCHAR, error == null ? null : error.className()));
        params.put("errorMessage", new SqlParameterValue(Types.VARCHAR, error == null ? null : error.message()));
        return params;
    }

    /**
     * Inserts an attempt's row, unless one for the same attempt is there already (an attempt counted twice
     * must not make the status write it rides on fail). Selected from the saga's own row, which the fence
     * has just written, so that the statement is the same on every database.
     */
    private void writeAttempt(Map<String, Object> attempt) {
        journal.jdbc().sql("INSERT INTO " + compensations + " (saga_id, step_index, attempt, started_at, ended_at, outcome,"
                + " error_class, error_message) SELECT id, :index, :attempt, :startedAt, :endedAt, :outcome, :errorClass,"
                + " :errorMessage FROM " + sagas + " WHERE id = :saga AND NOT EXISTS (SELECT 1 FROM " + compensations
                + " WHERE saga_id = :saga AND step_index = :index AND attempt = :attempt)").params(attempt).update();
        compensationsWritten = true;
    }

    private void writeStepStatus(int index, StepStatus status, int attempts, ErrorText error) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("saga", handle.sagaId());
        params.put("index", index);
        params.put("status", status.name());
        params.put("attempts", attempts);
        putError(params, error);
        journal.jdbc().sql("UPDATE " + steps + " SET status = :status, attempts = GREATEST(attempts, :attempts)"
                + (error == null ? "" : ", error_class = :errorClass, error_message = :errorMessage, error_stack = :errorStack")
                + " WHERE saga_id = :saga AND step_index = :index").params(params).update();
    }

    private void sagaStatus(SagaStatus status, ErrorText error) {
        if (!written) {
            return;
        }
        checkNotFenced("saga " + status);
        journal.inOwnTransaction(() -> {
            fence(", status = :status, next_attempt_at = NULL" + (error == null ? "" : errorSets()),
                    statusParams(status, error), "saga " + status);
            writePendingEnds();
        });
        pendingEnds.clear();
    }

    /** The saga row's parameters; it starts when its first step does, as far as the journal knows. */
    private Map<String, Object> sagaParams(Instant startedAt) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("id", handle.sagaId());
        params.put("name", name);
        params.put("owner", owner.id());
        params.put("ownerName", owner.name());
        params.put("epoch", handle.epoch());
        params.put("now", journal.dialect().parameter(startedAt));
        return params;
    }

    /**
     * The fence: touches the saga's row on the condition of this writer's epoch, which also locks the row
     * until the transaction ends (so a claim skips it rather than racing with it).
     */
    private void fence(String extraSets, Map<String, Object> extraParams, String operation) {
        Map<String, Object> params = new LinkedHashMap<>(extraParams);
        params.put("id", handle.sagaId());
        params.put("epoch", handle.epoch());
        params.put("now", journal.dialect().parameter(journal.now()));
        int rows = journal.jdbc().sql("UPDATE " + sagas + " SET updated_at = :now" + extraSets
                + " WHERE id = :id AND owner_epoch = :epoch").params(params).update();
        if (rows == 0) {
            throw fencedOut(operation);
        }
    }

    private void writePendingEnds() {
        String update = END_UPDATE.formatted(steps);
        for (Map<String, Object> end : pendingEnds) {
            journal.jdbc().sql(update).params(end).update();
        }
    }

    private Map<String, Object> endParams(StepEnd end) {
        Map<String, Object> params = new LinkedHashMap<>();
        Instant ended = journal.now();
        params.put("saga", handle.sagaId());
        params.put("index", end.index());
        params.put("status", end.status().name());
        params.put("result", new SqlParameterValue(Types.VARCHAR, journal.json().writeResult(end.result())));
        params.put("endedAt", journal.dialect().parameter(ended));
        putError(params, end.error());
        // not a parameter of the statement (JdbcClient ignores names the SQL does not use): the end's time as read
        params.put(END_INSTANT, ended);
        return params;
    }

    private static Map<String, Object> statusParams(SagaStatus status, ErrorText error) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("status", status.name());
        putError(params, error);
        return params;
    }

    private static String errorSets() {
        return ", error_class = :errorClass, error_message = :errorMessage, error_stack = :errorStack";
    }

    private static void putError(Map<String, Object> params, ErrorText error) {
        params.put("errorClass", new SqlParameterValue(Types.VARCHAR, error == null ? null : error.className()));
        params.put("errorMessage", new SqlParameterValue(Types.VARCHAR, error == null ? null : error.message()));
        params.put("errorStack", new SqlParameterValue(Types.VARCHAR, error == null ? null : error.stack()));
    }

    private void checkNotFenced(String operation) {
        if (fenced) {
            throw new JournalFencedException(handle, operation);
        }
    }

    private JournalFencedException fencedOut(String operation) {
        fenced = true;
        return new JournalFencedException(handle, operation);
    }

    /** An attempt announced by {@link #compensationStarted}. */
    private record AttemptStart(int attempt, Instant at) {
    }
}
