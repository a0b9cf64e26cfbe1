package dev.reversible.spring.jdbc;

import java.lang.reflect.Type;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import dev.reversible.core.AttemptAwareAction;
import dev.reversible.core.RecordedSaga;
import dev.reversible.core.RollbackReport;
import dev.reversible.core.SagaExecutor;
import dev.reversible.core.SagaInfo;
import dev.reversible.core.SagaStep;
import dev.reversible.core.StepTimeoutException;
import dev.reversible.jdbc.ErrorText;
import dev.reversible.jdbc.JournalFencedException;
import dev.reversible.jdbc.JournalJson;
import dev.reversible.jdbc.JournalPayloadException;
import dev.reversible.jdbc.JournaledSaga;
import dev.reversible.jdbc.SagaClaims;
import dev.reversible.jdbc.SagaHandle;
import dev.reversible.jdbc.SagaJournal;
import dev.reversible.jdbc.StoredSaga;
import dev.reversible.jdbc.StepStatus;
import dev.reversible.jdbc.StoredStep;
import dev.reversible.spring.metadata.ActionSpec;
import dev.reversible.spring.metadata.ReversibleOperationSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.beans.factory.BeanFactory;

/**
 * Compensates sagas taken over from the journal — the unfinished sagas of dead instances
 * ({@link SagaClaims#claim}), this instance's sagas whose persistent retry is due
 * ({@link SagaClaims#dueRetries}), and a stuck saga an operator retries ({@link #retryNow}).
 *
 * <p>Only what is Spring's job is done here: each stored step is turned back into an action — its bean found
 * by name, its action by the bean's class and the action's name, its arguments and result read back into the
 * handler's declared types — and the saga is rolled back by the core's own engine,
 * {@link SagaExecutor#rollBack(RecordedSaga)}: the same order as a live rollback (children before parents,
 * latest first), the executor's policy and compensation retry ({@code reversible.compensation.*}), the same
 * listener events (statistics, metrics, observations, logs) and the same report. There is no second rollback
 * engine and no second in-memory retry loop.
 *
 * <p>Every step is resolved before anything runs: a saga with a step whose bean or action no longer exists, or
 * whose arguments no longer read, is left {@code STUCK} with that reason and nothing of it is undone (undoing
 * half of it and then stopping would only make an operator's work harder). A step that was journaled but can
 * never be found again — a lambda step of a programmatic saga, a step on a bean that is not a singleton, a
 * step declared {@code durable = false} — takes its place in the rollback and fails it there, so the steps
 * after it are still undone and the saga ends {@code STUCK} naming it.
 *
 * <p>A step whose outcome is unknown (it started, its end was never recorded) is compensated as a failed
 * step: its handler sees a null result and a {@link StepOutcomeUnknownException}. A handler that is
 * {@code @Transactional} on the journal's {@code DataSource} runs in the transaction that marks its step
 * compensated ({@link CompensationTransactions}): exactly once. Any other is at-least-once.
 *
 * <p>With a concurrency above one ({@code reversible.jdbc.recovery.concurrency}), the sagas of one claim are
 * compensated several at once, on a pool of that many threads of this object's own (idle ones end after a
 * minute); each saga is still compensated by one thread, in its own order, and a claim waits for the previous
 * one's sagas to end. Recovery's time is mostly the database's round trips, so sagas overlapping theirs are
 * recovered faster; each one in flight holds a connection of the pool while its compensation writes.
 */
public final class SagaRecovery implements AutoCloseable {

    private static final Log LOG = LogFactory.getLog(SagaRecovery.class);

    private final SagaClaims claims;
    private final SagaJournal sagaJournal;
    private final JournalJson json;
    private final BeanFactory beanFactory;
    private final ReversibleOperationSource source;
    private final Supplier<SagaExecutor> executor;
    private final int batchSize;
    private final CompensationTransactions compensationTransactions;
    private final Duration foreignGrace;
    private final Clock clock;
    /** When this instance first found each dead instance's saga it cannot compensate: the start of its grace. */
    private final Map<String, Instant> foreignSince = new ConcurrentHashMap<>();
    /** How many sagas of one claim are compensated at once. */
    private final int concurrency;
    /** The threads that compensate them, when more than one; made at the first claim that needs them. */
    private volatile ThreadPoolExecutor pool;
    private volatile boolean closed;

    /**
     * @param claims claims and loads sagas for this instance
     * @param sagaJournal writes the compensations' outcomes
     * @param json reads arguments and results back
     * @param beanFactory finds the steps' beans by name
     * @param source finds their actions and handlers
     * @param executor the executor whose engine rolls the sagas back (asked at each recovery, so that it may be
     *     created after this)
     * @param batchSize how many sagas one claim takes
     * @param compensationTransactions runs a handler that is transactional on the journal's database with its
     *     mark (exactly once), or {@code null}: every compensation at-least-once
     */
    public SagaRecovery(SagaClaims claims, SagaJournal sagaJournal, JournalJson json, BeanFactory beanFactory,
            ReversibleOperationSource source, Supplier<SagaExecutor> executor, int batchSize,
            CompensationTransactions compensationTransactions) {
        this(claims, sagaJournal, json, beanFactory, source, executor, batchSize, compensationTransactions, Duration.ZERO,
                Clock.systemUTC());
    }

    /**
     * @param claims claims and loads sagas for this instance
     * @param sagaJournal writes the compensations' outcomes
     * @param json reads arguments and results back
     * @param beanFactory finds the steps' beans by name
     * @param source finds their actions and handlers
     * @param executor the executor whose engine rolls the sagas back
     * @param batchSize how many sagas one claim takes
     * @param compensationTransactions runs a transactional handler with its mark, or {@code null}
     * @param foreignGrace how long a dead instance's saga this code cannot compensate is left for an instance that
     *     can ({@code reversible.jdbc.recovery.foreign-grace}), from when this instance first finds it, before it is claimed
     *     here and left {@code STUCK} with the reason
     * @param clock the application's clock, on which the foreign grace runs
     */
    public SagaRecovery(SagaClaims claims, SagaJournal sagaJournal, JournalJson json, BeanFactory beanFactory,
            ReversibleOperationSource source, Supplier<SagaExecutor> executor, int batchSize,
            CompensationTransactions compensationTransactions, Duration foreignGrace, Clock clock) {
        this(claims, sagaJournal, json, beanFactory, source, executor, batchSize, compensationTransactions, foreignGrace, clock, 1);
    }

    /**
     * @param claims claims and loads sagas for this instance
     * @param sagaJournal writes the compensations' outcomes
     * @param json reads arguments and results back
     * @param beanFactory finds the steps' beans by name
     * @param source finds their actions and handlers
     * @param executor the executor whose engine rolls the sagas back
     * @param batchSize how many sagas one claim takes
     * @param compensationTransactions runs a transactional handler with its mark, or {@code null}
     * @param foreignGrace how long a dead instance's saga this code cannot compensate is left for an instance that
     *     can ({@code reversible.jdbc.recovery.foreign-grace})
     * @param clock the application's clock, on which the foreign grace runs
     * @param concurrency how many sagas of one claim are compensated at once ({@code reversible.jdbc.recovery.concurrency}),
     *     at least 1: one after the other on the calling thread
     */
    public SagaRecovery(SagaClaims claims, SagaJournal sagaJournal, JournalJson json, BeanFactory beanFactory,
            ReversibleOperationSource source, Supplier<SagaExecutor> executor, int batchSize,
            CompensationTransactions compensationTransactions, Duration foreignGrace, Clock clock, int concurrency) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, not " + concurrency);
        }
        this.concurrency = concurrency;
        this.foreignGrace = foreignGrace;
        this.clock = clock;
        this.claims = claims;
        this.sagaJournal = sagaJournal;
        this.json = json;
        this.beanFactory = beanFactory;
        this.source = source;
        this.executor = executor;
        this.batchSize = batchSize;
        this.compensationTransactions = compensationTransactions;
    }

    /**
     * Claims the unfinished sagas of dead instances, batch by batch, and compensates each.
     * @return how many sagas were claimed
     */
    public int recoverDeadInstancesSagas() {
        int total = 0;
        // Sagas this code cannot compensate (another release wrote them) are left to others for the foreign grace.
        Set<String> foreign = new HashSet<>();
        int looked;
        do {
            int foreignBefore = foreign.size();
            List<StoredSaga> claimed = claims.claimSagas(batchSize, foreign, this::claimable, foreign::add);
            compensateAll(claimed);
            total += claimed.size();
            looked = claimed.size() + foreign.size() - foreignBefore;
        } while (looked == batchSize);
        if (!foreign.isEmpty() && LOG.isDebugEnabled()) {
            // Every round finds them again until their grace ends: the health's 'unrecoverable' count is the lasting signal.
            LOG.debug("Left " + foreign.size() + " saga(s) of dead instances to an instance that can compensate them (this one lacks"
                    + " a step's action or cannot read its arguments), for reversible.jdbc.recovery.foreign-grace: " + foreign);
        }
        return total;
    }

    /**
     * A dead instance's saga is taken when this code can compensate it, or once it has been seen foreign for the
     * foreign grace (on the application's clock, from the first time this instance saw it): then it is claimed
     * here, for recovery to leave it {@code STUCK} with the reason.
     */
    private boolean claimable(StoredSaga saga) {
        if (foreignReason(saga).isEmpty()) {
            foreignSince.remove(saga.id());
            return true;
        }
        Instant now = clock.instant();
        Instant since = foreignSince.computeIfAbsent(saga.id(), id -> now);
        // Kept until the saga is ours (compensate forgets it): a claim that fails to commit must not restart the grace.
        return !now.isBefore(since.plus(foreignGrace));
    }

    /**
     * Whether this instance could compensate a saga from the journal, without running anything — what the
     * {@code sagas} endpoint shows as {@code recoverable} and {@code unrecoverableReason}.
     * @param saga a saga from the journal
     * @return why this instance could not compensate every step still to undo, or empty
     */
    public Optional<String> unrecoverableReason(StoredSaga saga) {
        Optional<String> foreign = foreignReason(saga);
        if (foreign.isPresent()) {
            return foreign;
        }
        for (StoredStep step : saga.steps()) {
            if (toCompensate(step)) {
                String never = neverFoundAgain(step, where(saga, step));
                if (never != null) {
                    return Optional.of(never);
                }
            }
        }
        return Optional.empty();
    }

    /** @return why this code lacks what a step still to undo needs (its bean, its action, readable arguments), or empty */
    private Optional<String> foreignReason(StoredSaga saga) {
        for (StoredStep step : saga.steps()) {
            if (toCompensate(step) && neverFoundAgain(step, "") == null) {
                try {
                    resolve(step, where(saga, step));
                } catch (StuckException e) {
                    return Optional.of(e.getMessage());
                } catch (RuntimeException e) {
                    return Optional.of(where(saga, step) + ": " + e);
                }
            }
        }
        return Optional.empty();
    }

    private static boolean toCompensate(StoredStep step) {
        return step.status() != StepStatus.COMPENSATED && step.status() != StepStatus.UNDONE_BY_TRANSACTION;
    }

    private static String where(StoredSaga saga, StoredStep step) {
        return "step " + step.index() + " (" + step.actionName() + ") of saga " + saga.name() + " (" + saga.id() + ")";
    }

    /**
     * Runs this instance's persistent compensation retries that are due.
     * @return how many sagas were retried
     */
    public int retryDueCompensations() {
        List<StoredSaga> due = claims.dueRetrySagas(batchSize);
        compensateAll(due);
        return due.size();
    }

    /**
     * Compensates sagas this instance holds: one after the other, or several at once on the pool. Returns when
     * every one has ended, so that nothing of a round is still running when the round is over (a graceful
     * shutdown waits for the round, then marks this instance gone: a saga still compensating here would be
     * claimed and compensated again). The first failure is thrown then, with the others suppressed.
     */
    private void compensateAll(List<StoredSaga> sagas) {
        ThreadPoolExecutor threads = concurrency == 1 || sagas.size() < 2 ? null : pool();
        if (threads == null) {
            sagas.forEach(saga -> compensate(saga, false));
            return;
        }
        List<Future<Boolean>> running = new ArrayList<>();
        for (StoredSaga saga : sagas) {
            try {
                running.add(threads.submit(() -> compensate(saga, false)));
            } catch (RejectedExecutionException closing) {
                // The pool was closed meanwhile: the saga is ours all the same, compensated here.
                CompletableFuture<Boolean> here = new CompletableFuture<>();
                try {
                    here.complete(compensate(saga, false));
                } catch (RuntimeException e) {
                    here.completeExceptionally(e);
                }
                running.add(here);
            }
        }
        RuntimeException failure = null;
        boolean interrupted = false;
        for (Future<Boolean> compensation : running) {
            while (true) {
                try {
                    compensation.get();
                    break;
                } catch (InterruptedException e) {
                    // Keep waiting: leaving now would end the round with compensations still running.
                    interrupted = true;
                } catch (ExecutionException e) {
                    RuntimeException thrown = e.getCause() instanceof RuntimeException runtime ? runtime
                            : new CompletionException(e.getCause());
                    if (failure == null) {
                        failure = thrown;
                    } else {
                        failure.addSuppressed(thrown);
                    }
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** @return the pool, made at the first call; null once closed */
    private ThreadPoolExecutor pool() {
        ThreadPoolExecutor threads = pool;
        if (threads == null) {
            synchronized (this) {
                threads = pool;
                if (threads == null && !closed) {
                    AtomicInteger number = new AtomicInteger();
                    threads = new ThreadPoolExecutor(concurrency, concurrency, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>(),
                            runnable -> {
                                Thread thread = new Thread(runnable, "reversible-recovery-" + number.incrementAndGet());
                                thread.setDaemon(true);
                                return thread;
                            });
                    // Recovery runs once a heartbeat interval, and mostly finds nothing: no threads kept for it.
                    threads.allowCoreThreadTimeOut(true);
                    pool = threads;
                }
            }
        }
        return threads;
    }

    /**
     * Ends the pool's threads (each finishes the saga it is compensating); a round after this compensates one saga
     * after the other, on its own thread.
     */
    @Override
    public void close() {
        ThreadPoolExecutor threads;
        synchronized (this) {
            closed = true;
            threads = pool;
            pool = null;
        }
        if (threads != null) {
            threads.shutdown();
        }
    }

    /**
     * Compensates one saga this instance holds, from where it stands in the journal; a compensation that still
     * fails after the executor's attempts is retried later in the background ({@code reversible.jdbc.retry.*}),
     * or leaves the saga {@code STUCK} when those are exhausted.
     * @param handle the saga at the epoch this instance holds
     * @return whether it ended {@code COMPENSATED}
     */
    public boolean compensate(SagaHandle handle) {
        return compensate(handle, false);
    }

    /**
     * An operator's retry of a saga this instance now holds ({@code StoredSagas.retry}): its pending
     * compensations run now, in rollback order from where it stopped, each with the executor's attempts. A
     * compensation that fails them all leaves the saga {@code STUCK} again, with no persistent retry: the
     * operator asked for now, and sees the outcome.
     * @param handle the saga at the epoch the retry gave this instance
     * @return whether it ended {@code COMPENSATED}
     */
    public boolean retryNow(SagaHandle handle) {
        try {
            return compensate(handle, true);
        } catch (RuntimeException e) {
            // Left COMPENSATING under this live instance with no retry due, nothing would ever take the saga up
            // again: give it back to the operator if the journal can still be written.
            try {
                sagaJournal.resume(handle).stuck(ErrorText.of(e));
            } catch (RuntimeException notWritten) {
                e.addSuppressed(notWritten);
            }
            throw e;
        }
    }

    private boolean compensate(SagaHandle handle, boolean operator) {
        StoredSaga saga;
        try {
            saga = claims.load(handle);
        } catch (JournalFencedException e) {
            foreignSince.remove(handle.sagaId());
            LOG.info("Saga " + handle.sagaId() + " not recovered here: " + e.getMessage());
            return false;
        }
        return compensate(saga, operator);
    }

    /** Compensates a saga this instance holds, as read at the epoch it holds (by its claim, or loaded). */
    private boolean compensate(StoredSaga saga, boolean operator) {
        foreignSince.remove(saga.id());
        Pass pass = new Pass(saga, sagaJournal.resume(saga.handle()));
        RecordedSaga recorded;
        try {
            recorded = recorded(saga, pass, operator);
        } catch (StuckException e) {
            LOG.error("Saga " + saga.name() + " (" + saga.id() + ") is STUCK, nothing of it was undone: " + e.getMessage());
            return pass.end(() -> pass.writer.stuck(ErrorText.reason(e.getMessage())));
        }
        RollbackReport report = executor.get().rollBack(recorded);
        if (pass.fenced != null) {
            LOG.warn("Recovery of saga " + saga.name() + " (" + saga.id() + ") stopped: another instance holds it now: "
                    + pass.fenced.getMessage());
            return false;
        }
        if (report.isComplete()) {
            // Usually the last compensation's mark ended the saga already; not when nothing was left to run.
            boolean written = pass.ended || pass.end(pass.writer::sagaCompensated);
            if (written) {
                LOG.info("Recovered saga " + saga.name() + " (" + saga.id() + "): compensated " + report.compensated());
            }
            return written;
        }
        if (pass.unrecoverable != null) {
            LOG.error("Saga " + saga.name() + " (" + saga.id() + ") is STUCK: " + pass.unrecoverable);
            pass.end(() -> pass.writer.stuck(ErrorText.reason(pass.unrecoverable)));
        } else if (operator) {
            LOG.error("Saga " + saga.name() + " (" + saga.id() + ") is STUCK again after an operator's retry: the compensation of "
                    + report.failedCompensations() + " failed");
            pass.end(() -> pass.writer.stuck(ErrorText.of(pass.lastFailure)));
        } else {
            pass.end(() -> pass.writer.retryLater(pass.lastFailure));
        }
        return false;
    }

    /** Turns every stored step back into an action first, so that nothing runs for a saga this code cannot finish. */
    private RecordedSaga recorded(StoredSaga saga, Pass pass, boolean operator) {
        RecordedSaga.Builder builder = RecordedSaga.builder(saga.id(), saga.name())
                .failure(new SagaRecoveredException(operator
                        ? "Saga " + saga.name() + " (" + saga.id() + ") was retried by an operator from the journal"
                        : "Saga " + saga.name() + " (" + saga.id() + ") was recovered from the journal by " + saga.ownerName()
                                + ": the instance that ran it stopped before it ended"), saga.failedStep());
        for (StoredStep step : saga.steps()) {
            int parent = step.parentIndex() == null ? -1 : step.parentIndex();
            switch (step.status()) {
                case COMPENSATED -> builder.compensatedStep(step.index(), parent);
                case UNDONE_BY_TRANSACTION -> builder.step(step.index(), parent, new UndoneStep(step));
                default -> {
                    AttemptAwareAction<Object> action = action(saga, step, pass);
                    pass.toRun(action instanceof RecoveredStep);
                    builder.step(step.index(), parent, action);
                }
            }
        }
        return builder.build();
    }

    private AttemptAwareAction<Object> action(StoredSaga saga, StoredStep step, Pass pass) {
        String where = where(saga, step);
        String never = neverFoundAgain(step, where);
        if (never != null) {
            return new UnrecoverableStep(step, never, pass);
        }
        return new RecoveredStep(step, resolve(step, where), where, pass);
    }

    /** @return why a journaled step can never be compensated after a restart, or {@code null} */
    private static String neverFoundAgain(StoredStep step, String where) {
        if (JdbcStepJournal.NOT_A_SINGLETON.equals(step.beanName())) {
            return where + " ran on a bean that is not a singleton (prototype or scoped): it was compensated"
                    + " in memory only, and cannot be found again after a restart";
        }
        if (JdbcStepJournal.PROGRAMMATIC.equals(step.beanName())) {
            return where + " is a programmatic step (a lambda or an Action of the application's own): it was compensated in memory"
                    + " only, and cannot be found again after a restart";
        }
        if (JdbcStepJournal.NOT_DURABLE.equals(step.beanName())) {
            return where + " is not durable (@ReversibleAction(durable = false)): its arguments were not journaled,"
                    + " it was compensated in memory only, and cannot be compensated after a restart";
        }
        return null;
    }

    private Resolved resolve(StoredStep step, String where) {
        // The journaled bean name first; when it is gone (a renamed @Component class gets a new default name), the
        // one bean whose action answers to the journaled action name — names and aliases are unique in an application.
        String beanName = beanFactory.containsBean(step.beanName()) ? step.beanName()
                : source.beanNameForAction(step.actionName()).orElse(null);
        if (beanName == null) {
            throw new StuckException(where + ": no bean '" + step.beanName() + "' any more, and no bean has an action '"
                    + step.actionName() + "'");
        }
        Object bean = beanFactory.getBean(beanName);
        Class<?> beanClass = AopProxyUtils.ultimateTargetClass(bean);
        Optional<ActionSpec> found = source.action(beanClass, step.actionName());
        if (found.isEmpty()) {
            throw new StuckException(where + ": bean '" + beanName + "' (" + beanClass.getName() + ") has no action '"
                    + step.actionName() + "' any more");
        }
        ActionSpec spec = found.get();
        Object[] arguments;
        Object result = null;
        try {
            arguments = step.arguments(json, spec.handler().argumentTypes(spec.method()));
            Type resultType = spec.handler().resultType();
            if (resultType != null && step.resultJson() != null) {
                result = json.readResult(step.resultJson(), resultType);
            }
        } catch (JournalPayloadException e) {
            throw new StuckException(where + ": the journaled arguments or result of action '" + step.actionName() + "' of bean '"
                    + beanName + "' (" + beanClass.getName() + ") no longer read into " + spec.handler() + ": " + e.getMessage());
        }
        Object target = AopProxyUtils.getSingletonTarget(bean);
        return new Resolved(spec, spec.handler().receiver(bean, target != null ? target : bean), arguments, result);
    }

    private record Resolved(ActionSpec spec, Object receiver, Object[] arguments, Object result) {
    }

    /**
     * One rollback of one saga: its journal writer, and what its steps learned — the last compensation failure
     * (for the retry or the stuck reason), an unrecoverable step, or that another instance took the saga over.
     * The engine may call steps from several threads only for asynchronous sagas; recovered steps are
     * synchronous, but the fields are volatile so that nothing depends on that.
     */
    private static final class Pass {

        final StoredSaga saga;
        final JournaledSaga writer;
        volatile Throwable lastFailure;
        volatile String unrecoverable;
        volatile JournalFencedException fenced;
        /** Compensations still to succeed; when the last one does, its mark ends the saga (one commit fewer). */
        private final AtomicInteger toSucceed = new AtomicInteger();
        /** A step that can never be found again: the saga cannot end {@code COMPENSATED} in this pass. */
        private volatile boolean cannotComplete;
        /** The last compensation's mark wrote the saga {@code COMPENSATED}. */
        volatile boolean ended;

        Pass(StoredSaga saga, JournaledSaga writer) {
            this.saga = saga;
            this.writer = writer;
        }

        /** @param recoverable a step to run is a found handler, not a step that can never be found again */
        void toRun(boolean recoverable) {
            if (recoverable) {
                toSucceed.incrementAndGet();
            } else {
                cannotComplete = true;
            }
        }

        /**
         * @return whether a compensation that succeeds now is the saga's last to run — every other step is
         *     compensated, or undone by its transaction — so that its mark can end the saga: the engine's report
         *     is complete exactly when every compensation it ran succeeded
         */
        boolean lastToSucceed() {
            return !cannotComplete && toSucceed.get() == 1;
        }

        /** A compensation succeeded and its mark is written. */
        void succeeded(boolean last) {
            toSucceed.decrementAndGet();
            if (last) {
                ended = true;
            }
        }

        /** Stops here if another owner took the saga over: its handlers must not run twice. */
        void checkNotFenced() {
            JournalFencedException taken = fenced;
            if (taken != null) {
                throw taken;
            }
        }

        /** @return whether the saga's end was written (not fenced by a newer owner) */
        boolean end(Runnable write) {
            try {
                write.run();
                return true;
            } catch (JournalFencedException e) {
                LOG.warn("Recovery of saga " + saga.name() + " (" + saga.id() + ") ended, but another instance holds it now: "
                        + e.getMessage());
                return false;
            }
        }
    }

    /** A step read from the journal, as the engine rolls it back: named after its action, never run forwards. */
    private abstract static class StoredStepAction implements AttemptAwareAction<Object> {

        final StoredStep step;

        StoredStepAction(StoredStep step) {
            this.step = step;
        }

        @Override
        public final Object forwards() {
            throw new UnsupportedOperationException("A recovered step is only compensated");
        }

        @Override
        public final String name() {
            return step.actionName();
        }
    }

    /** @return whether the step was recorded as timed out (its handler is told so again after a crash) */
    private static boolean timedOut(StoredStep step) {
        return step.lastError() != null && StepTimeoutException.class.getName().equals(step.lastError().className());
    }

    /**
     * A stored step turned back into an action: its {@code backwards} is its {@code @Compensate} handler, called
     * with the journaled arguments and result, and writes each attempt's outcome to the journal. The attempt the
     * handler sees counts the attempts already journaled.
     */
    private final class RecoveredStep extends StoredStepAction {

        private final Resolved resolved;
        private final Pass pass;
        private final Throwable failure;
        private final Object result;

        RecoveredStep(StoredStep step, Resolved resolved, String where, Pass pass) {
            super(step);
            this.resolved = resolved;
            this.pass = pass;
            this.failure = switch (step.status()) {
                case UNKNOWN, RUNNING -> timedOut(step) ? new StepTimeoutException(step.actionName(), null)
                        : new StepOutcomeUnknownException("The outcome of " + where
                        + " is unknown: its instance stopped before recording how it ended");
                case FAILED -> step.lastError() != null ? new JournaledStepFailure(step.lastError()) : null;
                default -> null;
            };
            this.result = failure == null ? resolved.result() : null;
        }

        @Override
        public void backwards(int attempt) throws Exception {
            pass.checkNotFenced();
            int journaled = step.attempts() + attempt;
            boolean last = pass.lastToSucceed();
            pass.writer.compensationStarted(step.index(), journaled);
            RecoveredCompensationContext context = new RecoveredCompensationContext(pass.saga.id(), pass.saga.name(),
                    step.actionName(), step.index(), result, failure, journaled);
            CompensationTransactions.Transaction transaction = compensationTransactions == null ? null
                    : compensationTransactions.transactionFor(resolved.spec().handler().method(), resolved.receiver());
            boolean marked = false;
            try {
                Object returned;
                if (transaction != null) {
                    // A @Transactional handler on the journal's DataSource is marked done inside its own transaction.
                    CompensationTransactions.Called called = transaction.call(() -> invoke(context),
                            () -> pass.writer.compensatedInCurrentTransaction(step.index(), journaled, last));
                    returned = called.returned();
                    marked = called.marked();
                } else {
                    returned = invoke(context);
                }
                if (returned instanceof CompletionStage<?> stage) {
                    stage.toCompletableFuture().join();
                }
            } catch (JournalFencedException e) {
                pass.fenced = e;
                throw e;
            } catch (Throwable e) {
                Throwable attemptFailure = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                pass.lastFailure = attemptFailure;
                write(() -> pass.writer.compensationFailed(step.index(), journaled, attemptFailure));
                LOG.warn("Recovery: the compensation of step " + step.index() + " (" + step.actionName() + ") of saga "
                        + pass.saga.name() + " (" + pass.saga.id() + ") failed (attempt " + journaled + ")", attemptFailure);
                throw attemptFailure instanceof Exception exception ? exception : new CompletionException(attemptFailure);
            }
            if (!marked) {
                write(() -> pass.writer.compensated(step.index(), journaled, last));
            }
            pass.succeeded(last);
        }

        private Object invoke(RecoveredCompensationContext context) throws Exception {
            return resolved.spec().handler().invoke(resolved.receiver(), resolved.arguments(), result, context);
        }

        private void write(Runnable write) {
            try {
                write.run();
            } catch (JournalFencedException e) {
                pass.fenced = e;
                throw e;
            }
        }
    }

    /**
     * A journaled step that cannot be found again after a restart: it keeps its place in the rollback, so the
     * steps after it are still undone, and fails there with the reason the saga is left {@code STUCK} for.
     */
    private static final class UnrecoverableStep extends StoredStepAction {

        private final String reason;
        private final Pass pass;

        UnrecoverableStep(StoredStep step, String reason, Pass pass) {
            super(step);
            this.reason = reason;
            this.pass = pass;
        }

        @Override
        public void backwards(int attempt) {
            pass.checkNotFenced();
            pass.unrecoverable = reason;
            throw new StuckException(reason);
        }
    }

    /** A step its transaction's rollback undid before the crash: the engine reports it, nothing runs. */
    private static final class UndoneStep extends StoredStepAction implements SagaStep {

        UndoneStep(StoredStep step) {
            super(step);
        }

        @Override
        public void backwards(int attempt) {
            throw new IllegalStateException("Step " + step.index() + " (" + step.actionName() + ") was undone by its transaction");
        }

        @Override
        public void started(SagaInfo saga, int index, int parentIndex) {
        }

        @Override
        public boolean undoneByTransaction() {
            return true;
        }
    }

    private static final class StuckException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        StuckException(String message) {
            super(message, null, false, false);
        }
    }
}
