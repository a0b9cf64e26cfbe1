package dev.reversible.spring.jdbc;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

import dev.reversible.core.SagaInfo;
import dev.reversible.jdbc.JdbcJournal;
import dev.reversible.jdbc.JournalFencedException;
import dev.reversible.jdbc.JournalPayloadException;
import dev.reversible.jdbc.JournaledSaga;
import dev.reversible.jdbc.SagaJournal;
import dev.reversible.jdbc.StepEnd;
import dev.reversible.jdbc.StepStart;
import dev.reversible.spring.aop.StepCall;
import dev.reversible.spring.aop.StepJournal;
import dev.reversible.spring.aop.StepTransactions;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The aspect's steps written ahead to the database journal: a step's start is committed before its
 * {@code forwards} runs (a failure there stops the step), its end is buffered and rides on the next commit,
 * and its compensation's outcome is written as it happens. The saga's end is written by
 * {@link JournalSagaListener}. One {@link JournaledSaga} per running saga, keyed by the saga's id.
 *
 * <p>A step on a bean that is not a registered singleton (prototype, scoped) is recorded under
 * {@link #NOT_A_SINGLETON} without its arguments: it is compensated in memory only, and after a crash its
 * saga is {@code STUCK} for an operator. So is a step of an action declared
 * {@code @ReversibleAction(durable = false)}, recorded under {@link #NOT_DURABLE}.
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
 * one claimed the saga) makes this instance run none of the saga's remaining compensations in memory
 * ({@link #takenOver}): the new owner compensates it from the journal, and may already have.
 */
public final class JdbcStepJournal implements StepJournal {

    /** The bean name recorded for a step whose bean is not a singleton: recovery cannot find it again. */
    public static final String NOT_A_SINGLETON = "(not a singleton)";

    /**
     * The bean name recorded for a step of an action declared {@code @ReversibleAction(durable = false)}: its
     * arguments are not journaled, so recovery cannot compensate it.
     */
    public static final String NOT_DURABLE = "(not durable)";

    private static final Log LOG = LogFactory.getLog(JdbcStepJournal.class);

    private final JdbcJournal journal;
    private final SagaJournal sagas;
    private final CompensationTransactions compensationTransactions;
    private final Map<String, Run> runs = new ConcurrentHashMap<>();
    private final Queue<Runnable> unwrittenEnds = new ConcurrentLinkedQueue<>();
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

    @Override
    public void stepStarted(StepCall step, boolean mayJoinTransaction) {
        SagaInfo saga = step.saga();
        Run run = runs.get(saga.id());
        if (run == null) {
            if (!admitting) {
                throw new IllegalStateException("Saga " + saga.name() + " (" + saga.id() + ") not started: this instance is shutting down");
            }
            run = runs.computeIfAbsent(saga.id(), id -> new Run(sagas.begin(id, saga.name())));
        }
        String beanName = step.beanName();
        StepStart start = !step.spec().durable() ? StepStart.of(step.stepIndex(), step.parentIndex(), NOT_DURABLE, step.name())
                : beanName == null ? StepStart.of(step.stepIndex(), step.parentIndex(), NOT_A_SINGLETON, step.name())
                : new StepStart(step.stepIndex(), step.parentIndex(), beanName, step.name(), Arrays.asList(step.arguments()), false);
        if (mayJoinTransaction && journal.hasCallerTransaction()) {
            start = start.inCallerTransaction();
        }
        try {
            run.saga.stepStarted(start);
            run.recorded = true;
        } catch (JournalFencedException e) {
            run.takenOver = true;
            throw e;
        } catch (JournalPayloadException e) {
            throw new JournalPayloadException("Step " + step.name() + " of bean '" + beanName + "' not run: its arguments cannot be "
                    + "journaled as JSON (" + e.getMessage() + "). Pass identifiers or plain values, not entities or resources", e);
        }
    }

    @Override
    public void stepEnded(StepCall step, Object result, Throwable failure, boolean inJoinedTransaction) {
        Run run = runs.get(step.saga().id());
        if (run == null) {
            return;
        }
        try {
            StepEnd end = failure != null ? StepEnd.failed(step.stepIndex(), failure) : StepEnd.completed(step.stepIndex(), result);
            if (inJoinedTransaction && journal.hasCallerTransaction()) {
                run.saga.stepEndedInCurrentTransaction(end);
                run.endedInCallerTransaction = true;
            } else {
                bufferEnd(run, step, end);
            }
        } catch (JournalFencedException e) {
            run.takenOver = true;
            LOG.warn("The end of step " + step.name() + " #" + step.stepIndex() + " in saga " + step.saga().id()
                    + " was not journaled: another instance has taken the saga over", e);
        } catch (RuntimeException e) {
            LOG.warn("Could not journal the end of step " + step.name() + " #" + step.stepIndex() + " in saga " + step.saga().id()
                    + "; after a crash it counts as in doubt", e);
        }
    }

    private static void bufferEnd(Run run, StepCall step, StepEnd end) {
        try {
            run.saga.stepEnded(end);
        } catch (JournalPayloadException e) {
            LOG.warn("The result of step " + step.name() + " #" + step.stepIndex() + " in saga " + step.saga().id()
                    + " cannot be journaled as JSON; after a crash its handler receives null: " + e.getMessage());
            run.saga.stepEnded(StepEnd.completed(end.index(), null));
        }
    }

    /**
     * Once a write of a saga was fenced, its compensations are the new owner's: this instance runs none of
     * them in memory (the new owner may already have run them).
     */
    @Override
    public boolean takenOver(StepCall step) {
        Run run = runs.get(step.saga().id());
        return run != null && run.takenOver;
    }

    @Override
    public Object compensate(StepCall step, int attempt, Object receiver, StepTransactions.Compensation handler) throws Exception {
        Run run = runs.get(step.saga().id());
        CompensationTransactions.Transaction transaction = run == null || !run.recorded || compensationTransactions == null ? null
                : compensationTransactions.transactionFor(step.spec().handler().method(), receiver);
        if (transaction == null) {
            return handler.run();
        }
        // The buffered step ends first, in the journal's own commit: the handler's transaction writes only its mark.
        write(step, "ended (before its compensation)", JournaledSaga::flush);
        CompensationTransactions.Called called = transaction.call(handler,
                () -> run.saga.compensatedInCurrentTransaction(step.stepIndex(), attempt));
        if (called.marked()) {
            run.markedWithHandler.add(step.stepIndex());
        }
        return called.returned();
    }

    @Override
    public void compensated(StepCall step, int attempt) {
        Run run = runs.get(step.saga().id());
        if (run != null && run.markedWithHandler.remove(step.stepIndex())) {
            return;   // committed with the handler's work
        }
        write(step, "compensated", saga -> saga.compensated(step.stepIndex(), attempt));
    }

    @Override
    public void compensationFailed(StepCall step, int attempt, Throwable failure) {
        Run run = runs.get(step.saga().id());
        if (run != null) {
            run.lastCompensationFailure = failure;
        }
        write(step, "compensation failed", saga -> saga.compensationFailed(step.stepIndex(), attempt, failure));
    }

    @Override
    public void undoneByTransaction(StepCall step) {
        write(step, "undone by transaction", saga -> saga.undoneByTransaction(step.stepIndex()));
    }

    private void write(StepCall step, String what, Consumer<JournaledSaga> write) {
        Run run = runs.get(step.saga().id());
        if (run == null) {
            return;
        }
        try {
            write.accept(run.saga);
        } catch (JournalFencedException e) {
            run.takenOver = true;
            LOG.warn("Step " + step.name() + " #" + step.stepIndex() + " of saga " + step.saga().id() + " not journaled as " + what
                    + ": another instance has taken the saga over and compensates it; this one runs no more of its compensations", e);
        } catch (RuntimeException e) {
            LOG.warn("Could not journal step " + step.name() + " #" + step.stepIndex() + " of saga " + step.saga().id() + " as " + what, e);
        }
    }

    // ---- the saga's end, from JournalSagaListener ---------------------------------------------------------

    /** The saga returned normally: its rows are deleted (or kept as COMPLETED). */
    void sagaCompleted(SagaInfo saga) {
        end(saga, "completed", JournaledSaga::completed);
    }

    /** The saga failed with an exception its rollback rule excludes: its rows are deleted (or kept as FAILED). */
    void sagaFailed(SagaInfo saga, Throwable failure) {
        end(saga, "failed", journaled -> journaled.failed(failure));
    }

    /**
     * The saga rolled back: {@code COMPENSATED} when every compensation succeeded, else kept
     * {@code COMPENSATING} for the persistent retries (or {@code STUCK} when they are exhausted).
     */
    void sagaRolledBack(SagaInfo saga, String failedStep, Throwable failure, boolean complete) {
        Run run = runs.get(saga.id());
        Throwable compensationFailure = run == null ? null : run.lastCompensationFailure;
        end(saga, "rolled back", journaled -> {
            journaled.compensating(failedStep, failure);
            if (complete) {
                journaled.sagaCompensated();
            } else {
                journaled.retryLater(compensationFailure != null ? compensationFailure : failure);
            }
        });
    }

    private void end(SagaInfo saga, String what, Consumer<JournaledSaga> write) {
        Run run = runs.remove(saga.id());
        if (run == null) {
            signalIfIdle();
            return;
        }
        if (!run.recorded) {
            // No step start was ever written (the first one failed): nothing to end.
            signalIfIdle();
            return;
        }
        try {
            Runnable ending = () -> writeEnd(saga, what, run, write);
            if (run.endedInCallerTransaction && journal.hasCallerTransaction()
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
            signalIfIdle();
        }
    }

    private void writeEnd(SagaInfo saga, String what, Run run, Consumer<JournaledSaga> write) {
        try {
            write.accept(run.saga);
        } catch (JournalFencedException e) {
            LOG.warn("Saga " + saga.name() + " (" + saga.id() + ") " + what + ", but another instance has taken it over: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("Could not journal that saga " + saga.name() + " (" + saga.id() + ") " + what + "; retrying in the background", e);
            unwrittenEnds.add(() -> write.accept(run.saga));
        }
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
        return runs.size();
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
            while (!runs.isEmpty()) {
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
        if (runs.isEmpty()) {
            synchronized (idle) {
                idle.notifyAll();
            }
        }
    }

    /** @return the ids of the sagas running here with journaled steps (for tests and diagnostics) */
    List<String> runningSagaIds() {
        return List.copyOf(runs.keySet());
    }

    /** One running saga's writer, and what its end needs to know. */
    private static final class Run {

        final JournaledSaga saga;
        volatile boolean recorded;
        volatile boolean endedInCallerTransaction;
        /** A write found a newer owner epoch: another instance claimed this saga. */
        volatile boolean takenOver;
        volatile Throwable lastCompensationFailure;
        final Set<Integer> markedWithHandler = ConcurrentHashMap.newKeySet();

        Run(JournaledSaga saga) {
            this.saga = saga;
        }
    }
}
