package dev.reversible.spring.jdbc;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import dev.reversible.core.AsyncAction;
import dev.reversible.core.RollbackReport;
import dev.reversible.core.SagaInfo;
import dev.reversible.core.SagaRecord;
import dev.reversible.core.StepInfo;
import dev.reversible.jdbc.JdbcJournal;
import dev.reversible.jdbc.JournalFencedException;
import dev.reversible.jdbc.JournalPayloadException;
import dev.reversible.jdbc.JournaledSaga;
import dev.reversible.jdbc.SagaJournal;
import dev.reversible.jdbc.StepEnd;
import dev.reversible.jdbc.StepStart;
import dev.reversible.spring.aop.StepCall;
import dev.reversible.spring.aop.StepCompensation;
import dev.reversible.spring.annotation.StepRecord;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.transaction.NoTransactionException;
import org.springframework.transaction.interceptor.TransactionInterceptor;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The core's journal SPI on the database: the executor opens one {@link Record} per outermost saga and calls it
 * for everything the saga does — one channel, the saga's writer held by its record, no lookup by id. A step's
 * start is committed before its {@code forwards} runs (a failure there stops the step), its end is buffered and
 * rides on the next commit, each compensation attempt's outcome is written as it happens, and the saga's end is
 * written before the saga returns. A step declared {@code @ReversibleAction(record = StepRecord.IN_TRANSACTION)}
 * that runs in a transaction it began on the journal's {@code DataSource} is recorded in that transaction instead,
 * start and end in one insert as it commits ({@code Record.RecordTransaction}); declared so but run
 * elsewhere, it is recorded write-ahead, with one WARN per action.
 *
 * <p>Every step is recorded. An annotated step ({@link StepCall}) is described by its bean, action and arguments,
 * so that recovery can find it again. A step on a bean that is not a registered singleton (prototype, scoped) is
 * recorded under {@link #NOT_A_SINGLETON} without its arguments, a step of an action declared
 * {@code @ReversibleAction(durable = false)} under {@link #NOT_DURABLE}, and a programmatic step (a lambda, an
 * {@code Action} of the user's own) under {@link #PROGRAMMATIC}: they are compensated in memory, and after a
 * crash their saga is {@code STUCK} naming them, for an operator — the steps recovery can find are still undone.
 *
 * <p>A handler that is {@code @Transactional} on the journal's {@code DataSource} is run in a transaction
 * that also writes its step's "compensated" mark ({@link CompensationTransactions}): exactly once. Any other
 * handler's mark is written after it, in the journal's own transaction: at-least-once.
 *
 * <p>Writes that record what already happened (ends, compensations) never change the outcome of a step:
 * their failures are logged. A saga end that cannot be written is retried on the journal's scheduler
 * ({@link #retryUnwrittenEnds()}): left {@code RUNNING}, a completed saga would be compensated after a restart.
 *
 * <p>A write that finds a newer owner epoch ({@link JournalFencedException}: this instance looked dead, another
 * one claimed the saga) makes this instance run none of the saga's remaining compensations in memory: the new
 * owner compensates it from the journal, and may already have.
 */
public final class JdbcStepJournal implements dev.reversible.core.SagaJournal {

    /** The bean name recorded for a step whose bean is not a singleton: recovery cannot find it again. */
    public static final String NOT_A_SINGLETON = "(not a singleton)";

    /**
     * The bean name recorded for a step of an action declared {@code @ReversibleAction(durable = false)}: its
     * arguments are not journaled, so recovery cannot compensate it.
     */
    public static final String NOT_DURABLE = "(not durable)";

    /**
     * The bean name recorded for a programmatic step — a lambda or an {@code Action} of the application's own,
     * run by {@code executor.execute(Reversible.gen(…))} — which recovery cannot find again after a restart.
     */
    public static final String PROGRAMMATIC = "(programmatic)";

    private static final Log LOG = LogFactory.getLog(JdbcStepJournal.class);

    private final JdbcJournal journal;
    private final SagaJournal sagas;
    private final CompensationTransactions compensationTransactions;
    /** The records of sagas with a journaled step that have not ended: for a graceful shutdown's wait. */
    private final Set<Record> running = ConcurrentHashMap.newKeySet();
    private final Queue<Runnable> unwrittenEnds = new ConcurrentLinkedQueue<>();
    private final Set<String> warnedWriteAhead = ConcurrentHashMap.newKeySet();
    private final Object idle = new Object();
    private volatile boolean admitting = true;

    /**
     * @param journal the journal's database
     * @param sagas the write path of this instance
     */
    public JdbcStepJournal(JdbcJournal journal, SagaJournal sagas) {
        this(journal, sagas, null);
    }

    /**
     * @param journal the journal's database
     * @param sagas the write path of this instance
     * @param compensationTransactions runs a handler that is transactional on the journal's database with its
     *     mark, or {@code null}: every compensation at-least-once
     */
    public JdbcStepJournal(JdbcJournal journal, SagaJournal sagas, CompensationTransactions compensationTransactions) {
        this.journal = journal;
        this.sagas = sagas;
        this.compensationTransactions = compensationTransactions;
    }

    /** Writes nothing yet: the saga's row is written with its first step. */
    @Override
    public SagaRecord open(SagaInfo saga) {
        return new Record(saga);
    }

    /**
     * One saga's record: its writer, begun with the first step, and what its end needs to know. Its methods are
     * called by the core for this saga only.
     */
    final class Record implements SagaRecord {

        private final SagaInfo saga;
        private volatile JournaledSaga writer;
        private volatile boolean endedInCallerTransaction;
        /** A write found a newer owner epoch: another instance claimed this saga. */
        private volatile boolean takenOver;
        private volatile Throwable lastCompensationFailure;
        /** The transaction an in-transaction step's record was written in, while it is open. */
        private volatile RecordTransaction recordTransaction;

        Record(SagaInfo saga) {
            this.saga = saga;
        }

        /**
         * The open transaction of a step recorded in its own transaction ({@code StepRecord.IN_TRANSACTION}), and the
         * steps recorded in it. Until it ends, the journal's own transactions see neither those steps' rows nor,
         * for a saga's first record, the saga's row: the saga's other writes (compensations of the step's children,
         * run when the step fails) wait for its end and are written then — at-least-once, as any write after its
         * handler.
         */
        private final class RecordTransaction implements TransactionSynchronization {

            private final JournaledSaga writer;
            private final Object resource;
            private final Thread thread = Thread.currentThread();
            private final List<JournaledSaga.PendingStep> records = new CopyOnWriteArrayList<>();
            private final Queue<Runnable> deferred = new ConcurrentLinkedQueue<>();
            private volatile boolean written;
            private volatile boolean ended;

            RecordTransaction(JournaledSaga writer, Object resource) {
                this.writer = writer;
                this.resource = resource;
            }

            boolean onThisThread() {
                return thread == Thread.currentThread();
            }

            void add(JournaledSaga.PendingStep record) {
                records.add(record);
            }

            /** @return the step's record when it is one of this transaction's and not yet written, else null */
            JournaledSaga.PendingStep unwritten(int index) {
                if (written) {
                    return null;
                }
                for (JournaledSaga.PendingStep record : records) {
                    if (record.index() == index) {
                        return record;
                    }
                }
                return null;
            }

            /** @return whether the write waits for this transaction's end; false once it ended */
            boolean defer(Runnable write) {
                if (ended) {
                    return false;
                }
                deferred.add(write);
                return true;
            }

            /**
             * The records go in last, with the ends known by now: one insert per step, in this transaction. A failure
             * here — another owner holds the saga, the database refuses — fails the commit, which rolls the steps back
             * with their records.
             */
            @Override
            public void beforeCommit(boolean readOnly) {
                written = true;
                try {
                    writer.writeInCurrentTransaction(records);
                } catch (JournalFencedException e) {
                    takenOver = true;
                    throw e;
                }
            }

            @Override
            public void afterCompletion(int status) {
                ended = true;
                recordTransaction = null;
                for (Runnable write = deferred.poll(); write != null; write = deferred.poll()) {
                    write.run();
                }
            }
        }

        @Override
        public void stepStarted(StepInfo step) {
            JournaledSaga saga = writer();
            StepCall call = step.action() instanceof StepCall annotated ? annotated : null;
            String beanName = call == null ? PROGRAMMATIC : call.beanName();
            StepStart start = call == null ? StepStart.of(step.index(), step.parentIndex(), PROGRAMMATIC, step.name())
                    : !call.spec().durable() ? StepStart.of(step.index(), step.parentIndex(), NOT_DURABLE, step.name())
                    : beanName == null ? StepStart.of(step.index(), step.parentIndex(), NOT_A_SINGLETON, step.name())
                    : new StepStart(step.index(), step.parentIndex(), beanName, step.name(), Arrays.asList(call.arguments()), false);
            boolean joins = call != null && call.mayJoinTransaction() && journal.hasCallerTransaction();
            if (joins) {
                start = start.inCallerTransaction();
            }
            try {
                RecordTransaction open = recordTransaction;
                if (open != null && open.onThisThread()) {
                    // Outside its own transaction advice, a step that will suspend this transaction still sees it here.
                    boolean leaves = call != null && call.suspendsTransaction() && !call.insideTransactionAdvice();
                    if (leaves || open.resource != journal.currentTransactionResource()) {
                        throw new IllegalStateException("Step " + step.name() + " of saga " + this.saga.name() + " (" + this.saga.id()
                                + ") not run: it was called from a step whose record is written in its own transaction"
                                + " (StepRecord.IN_TRANSACTION), but runs in another transaction, or none, which cannot be"
                                + " recorded until that one ends. Let it join the calling step's transaction, or record the"
                                + " calling step WRITE_AHEAD");
                    }
                    // Called from an in-transaction step's work, in its transaction: part of that work, recorded with it.
                    open.add(saga.prepare(start));
                } else if (open == null && call != null && call.spec().record() == StepRecord.IN_TRANSACTION && inOwnTransaction(call)) {
                    RecordTransaction opened = new RecordTransaction(saga, journal.currentTransactionResource());
                    opened.add(saga.prepare(start.inCallerTransaction()));
                    recordTransaction = opened;
                    TransactionSynchronizationManager.registerSynchronization(opened);
                } else {
                    if (call != null && call.spec().record() == StepRecord.IN_TRANSACTION && !joins) {
                        warnWrittenAhead(call);
                    }
                    saga.stepStarted(start);
                }
            } catch (JournalFencedException e) {
                takenOver = true;
                throw e;
            } catch (JournalPayloadException e) {
                throw new JournalPayloadException("Step " + step.name() + " of bean '" + beanName + "' not run: its arguments cannot be "
                        + "journaled as JSON (" + e.getMessage() + "). Pass identifiers or plain values, not entities or resources", e);
            }
        }

        /**
         * Whether the step runs in a transaction it began on the journal's {@code DataSource} — its own
         * {@code @Transactional}'s, the saga aspect having been placed inside that advice.
         */
        private boolean inOwnTransaction(StepCall call) {
            if (!call.insideTransactionAdvice() || !journal.hasCallerTransaction()) {
                return false;
            }
            try {
                return journal.isNewTransactionOnJournal(TransactionInterceptor.currentTransactionStatus());
            } catch (NoTransactionException e) {
                return false;
            }
        }

        /** The saga's writer, begun with its first step — refused once a graceful shutdown began. */
        private JournaledSaga writer() {
            JournaledSaga begun = writer;
            if (begun == null) {
                if (!admitting) {
                    throw new IllegalStateException("Saga " + saga.name() + " (" + saga.id() + ") not started: this instance is shutting down");
                }
                begun = sagas.begin(saga.id(), saga.name());
                writer = begun;
                running.add(this);
            }
            return begun;
        }

        @Override
        public void stepEnded(StepInfo step, Object result, Throwable failure) {
            JournaledSaga saga = writer;
            if (saga == null) {
                return;
            }
            StepCall call = step.action() instanceof StepCall annotated ? annotated : null;
            try {
                // A programmatic step's result is not journaled: nothing could read it back after a restart.
                StepEnd end = failure != null ? StepEnd.failed(step.index(), failure)
                        : StepEnd.completed(step.index(), call == null ? null : result);
                RecordTransaction open = recordTransaction;
                JournaledSaga.PendingStep pending = open == null ? null : open.unwritten(step.index());
                if (pending != null) {
                    endBeforeItIsWritten(pending, step, end);
                } else if (call != null && call.inOpenJoinedTransaction() && journal.hasCallerTransaction()) {
                    saga.stepEndedInCurrentTransaction(end);
                    endedInCallerTransaction = true;
                } else {
                    bufferEnd(saga, step, end);
                }
            } catch (JournalFencedException e) {
                takenOver = true;
                LOG.warn("The end of " + describe(step) + " was not journaled: another instance has taken the saga over", e);
            } catch (RuntimeException e) {
                LOG.warn("Could not journal the end of " + describe(step) + "; after a crash it counts as in doubt", e);
            }
        }

        /** The end of a step whose record is written when its transaction commits: written with it. */
        private void endBeforeItIsWritten(JournaledSaga.PendingStep pending, StepInfo step, StepEnd end) {
            try {
                pending.ended(end);
            } catch (JournalPayloadException e) {
                LOG.warn("The result of " + describe(step) + " cannot be journaled as JSON; after a crash its handler receives null: "
                        + e.getMessage());
                pending.ended(StepEnd.completed(end.index(), null));
            }
        }

        private void bufferEnd(JournaledSaga saga, StepInfo step, StepEnd end) {
            try {
                saga.stepEnded(end);
            } catch (JournalPayloadException e) {
                LOG.warn("The result of " + describe(step) + " cannot be journaled as JSON; after a crash its handler receives null: "
                        + e.getMessage());
                saga.stepEnded(StepEnd.completed(end.index(), null));
            }
        }

        /**
         * Runs one attempt — none once another instance has taken the saga over (it compensates the saga from the
         * journal, so running the handler here too would undo the step twice). An annotated step's handler is
         * called through {@link #handlerCall}, which records its outcome when it really runs.
         */
        @Override
        public <T> T compensate(StepInfo step, int attempt, Callable<T> compensation) throws Exception {
            if (takenOver) {
                LOG.warn("Compensation of " + describe(step) + " not run here: another instance has taken the saga over and"
                        + " compensates it");
                return null;
            }
            if (step.action() instanceof StepCall call && writer != null) {
                Object returned = call.compensate(attempt, handlerCall(step, call, attempt));
                if (call instanceof AsyncAction<?> && !(returned instanceof CompletionStage<?>)) {
                    returned = null;   // an asynchronous step's compensation is a stage, or done
                }
                @SuppressWarnings("unchecked")
                T attemptResult = (T) returned;
                return attemptResult;
            }
            return compensation.call();
        }

        /**
         * Calls an annotated step's handler and records the attempt's outcome — in the transaction that marks it
         * done when the handler is {@code @Transactional} on the journal's database (exactly once), else after it.
         */
        private StepCompensation handlerCall(StepInfo step, StepCall call, int attempt) {
            return (receiver, handler) -> {
                // Not while a step's record is in an open transaction: the mark's transaction could not see its rows.
                CompensationTransactions.Transaction transaction = compensationTransactions == null || recordTransaction != null ? null
                        : compensationTransactions.transactionFor(call.spec().handler().method(), receiver);
                boolean marked = false;
                Object returned;
                try {
                    if (transaction != null) {
                        // The buffered step ends first, in the journal's own commit: the handler's transaction writes only its mark.
                        write(step, "ended (before its compensation)", JournaledSaga::flush);
                        CompensationTransactions.Called called = transaction.call(handler,
                                () -> writer.compensatedInCurrentTransaction(step.index(), attempt));
                        returned = called.returned();
                        marked = called.marked();
                    } else {
                        returned = handler.run();
                    }
                } catch (Exception | Error e) {
                    writeFailure(step, attempt, e);
                    throw e;
                }
                if (returned instanceof CompletionStage<?> stage) {
                    boolean markedWithHandler = marked;
                    return stage.whenComplete((ignored, thrown) -> {
                        if (thrown != null) {
                            writeFailure(step, attempt,
                                    thrown instanceof CompletionException && thrown.getCause() != null ? thrown.getCause() : thrown);
                        } else if (!markedWithHandler) {
                            write(step, "compensated", saga -> saga.compensated(step.index(), attempt));
                        }
                    });
                }
                if (!marked) {
                    write(step, "compensated", saga -> saga.compensated(step.index(), attempt));
                }
                return returned;
            };
        }

        /** An annotated step's outcome was recorded when its handler ran ({@link #handlerCall}); a programmatic one's now. */
        @Override
        public void compensationSucceeded(StepInfo step, int attempt) {
            if (!(step.action() instanceof StepCall) && !takenOver) {
                write(step, "compensated", saga -> saga.compensated(step.index(), attempt));
            }
        }

        @Override
        public void compensationFailed(StepInfo step, int attempt, Throwable failure) {
            lastCompensationFailure = failure;
            if (!(step.action() instanceof StepCall) && !takenOver) {
                writeFailure(step, attempt, failure);
            }
        }

        private void writeFailure(StepInfo step, int attempt, Throwable failure) {
            lastCompensationFailure = failure;
            write(step, "compensation failed", saga -> saga.compensationFailed(step.index(), attempt, failure));
        }

        @Override
        public void stepUndoneByTransaction(StepInfo step) {
            write(step, "undone by transaction", saga -> saga.undoneByTransaction(step.index()));
        }

        private void write(StepInfo step, String what, Consumer<JournaledSaga> write) {
            JournaledSaga saga = writer;
            if (saga == null) {
                return;
            }
            RecordTransaction open = recordTransaction;
            if (open != null && open.defer(() -> write(step, what, write))) {
                return;
            }
            try {
                write.accept(saga);
            } catch (JournalFencedException e) {
                takenOver = true;
                LOG.warn(describe(step) + " not journaled as " + what + ": another instance has taken the saga over and compensates it;"
                        + " this one runs no more of its compensations", e);
            } catch (RuntimeException e) {
                LOG.warn("Could not journal " + describe(step) + " as " + what, e);
            }
        }

        private String describe(StepInfo step) {
            return "step " + step.name() + " #" + step.index() + " of saga " + saga.name() + " (" + saga.id() + ")";
        }

        // ---- the saga's end ---------------------------------------------------------------------------------

        /** The saga returned normally: its rows are deleted (or kept as COMPLETED). */
        @Override
        public void sagaCompleted() {
            end("completed", JournaledSaga::completed);
        }

        /** The saga failed with an exception its rollback rule excludes: its rows are deleted (or kept as FAILED). */
        @Override
        public void sagaFailed(Throwable failure) {
            end("failed", journaled -> journaled.failed(failure));
        }

        /**
         * The saga rolled back: {@code COMPENSATED} when every compensation succeeded, else kept
         * {@code COMPENSATING} for the persistent retries (or {@code STUCK} when they are exhausted).
         */
        @Override
        public void sagaRolledBack(RollbackReport report) {
            Throwable compensationFailure = lastCompensationFailure;
            end("rolled back", journaled -> {
                journaled.compensating(report.failedStep(), report.failure());
                if (report.isComplete()) {
                    journaled.sagaCompensated();
                } else {
                    journaled.retryLater(compensationFailure != null ? compensationFailure : report.failure());
                }
            });
        }

        private void end(String what, Consumer<JournaledSaga> write) {
            JournaledSaga saga = writer;
            if (saga == null) {
                // No step start was ever written (none ran, or the first one failed to): nothing to end.
                return;
            }
            try {
                Runnable ending = () -> writeEnd(what, saga, write);
                if (endedInCallerTransaction && journal.hasCallerTransaction()
                        && TransactionSynchronizationManager.isSynchronizationActive()) {
                    // A step's end is written in the caller's still open transaction, which holds its row: the saga's
                    // end waits for that transaction, so that the journal never waits for a lock its own thread holds.
                    TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                        @Override
                        public void afterCompletion(int status) {
                            ending.run();
                        }
                    });
                } else {
                    ending.run();
                }
            } finally {
                running.remove(this);
                signalIfIdle();
            }
        }

        private void writeEnd(String what, JournaledSaga saga, Consumer<JournaledSaga> write) {
            try {
                write.accept(saga);
            } catch (JournalFencedException e) {
                LOG.warn("Saga " + this.saga.name() + " (" + this.saga.id() + ") " + what + ", but another instance has taken it over: "
                        + e.getMessage());
            } catch (RuntimeException e) {
                LOG.warn("Could not journal that saga " + this.saga.name() + " (" + this.saga.id() + ") " + what
                        + "; retrying in the background", e);
                unwrittenEnds.add(() -> write.accept(saga));
            }
        }

        @Override
        public String toString() {
            return "journal record of saga " + saga.name() + " (" + saga.id() + ")";
        }
    }

    /** Says once per action that it asked for its record in its transaction and was recorded write-ahead. */
    private void warnWrittenAhead(StepCall call) {
        if (!warnedWriteAhead.add(call.spec().name())) {
            return;
        }
        String why = call instanceof AsyncAction<?> ? "it is asynchronous: its work runs on another thread, after the step took its place"
                : !call.insideTransactionAdvice() ? "it has no @Transactional of its own the saga aspect could be placed inside"
                        + " (or it is @Retryable: the step spans every attempt, each in a transaction of its own)"
                : TransactionSynchronizationManager.isActualTransactionActive() && !journal.hasCallerTransaction()
                        ? "its transaction is not on the journal's DataSource (another transaction manager)"
                : journal.hasCallerTransaction() ? "its transaction is not one it began on the journal's DataSource"
                : "it runs in no transaction (a propagation without one)";
        LOG.warn("@ReversibleAction '" + call.spec().name() + "' (" + call.spec().describe() + ") is declared record = IN_TRANSACTION, but "
                + why + ". Its steps are recorded write-ahead: one journal commit before each runs");
    }

    /** Retries the saga ends that could not be written (the database was unreachable); called by the scheduler. */
    void retryUnwrittenEnds() {
        for (int i = unwrittenEnds.size(); i > 0; i--) {
            Runnable end = unwrittenEnds.poll();
            if (end == null) {
                return;
            }
            try {
                end.run();
            } catch (JournalFencedException e) {
                LOG.warn("A saga end was not written: another instance has taken the saga over: " + e.getMessage());
            } catch (RuntimeException e) {
                unwrittenEnds.add(end);
                return;
            }
        }
    }

    /** @return how many sagas with journaled steps are running on this instance */
    public int runningSagas() {
        return running.size();
    }

    /** @return whether new sagas are admitted (false once a graceful shutdown began) */
    boolean admitting() {
        return admitting;
    }

    /** Refuses new sagas from now on (a graceful shutdown); running ones go on. */
    void stopAdmitting() {
        admitting = false;
    }

    /** Admits new sagas again: the lifecycle was started again after a stop (a paused test context, say). */
    void admit() {
        admitting = true;
    }

    /**
     * Waits until no saga with journaled steps runs here any more.
     * @param timeout the longest wait
     * @return whether none runs
     */
    boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (idle) {
            while (!running.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                idle.wait(Math.max(1, left / 1_000_000));
            }
        }
        return true;
    }

    private void signalIfIdle() {
        if (running.isEmpty()) {
            synchronized (idle) {
                idle.notifyAll();
            }
        }
    }

    /** @return the ids of the sagas running here with journaled steps (for tests and diagnostics) */
    List<String> runningSagaIds() {
        return running.stream().map(record -> record.saga.id()).toList();
    }
}
