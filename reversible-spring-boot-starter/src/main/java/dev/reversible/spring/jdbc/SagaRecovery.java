package dev.reversible.spring.jdbc;

import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Supplier;

import dev.reversible.core.RollbackReport;
import dev.reversible.core.SagaInfo;
import dev.reversible.core.SagaListener;
import dev.reversible.jdbc.ErrorText;
import dev.reversible.jdbc.JournalFencedException;
import dev.reversible.jdbc.JournalJson;
import dev.reversible.jdbc.JournalPayloadException;
import dev.reversible.jdbc.JournaledSaga;
import dev.reversible.jdbc.SagaClaims;
import dev.reversible.jdbc.SagaHandle;
import dev.reversible.jdbc.SagaJournal;
import dev.reversible.jdbc.StoredSaga;
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
 * ({@link SagaClaims#dueRetries}), and a stuck saga an operator retries ({@link #retryNow}) — through the same {@code @Compensate} handlers as a live rollback: each
 * step's bean found by name, its action by the bean's class and the action's name, its arguments and result
 * read back into the handler's declared types. Steps are undone in reverse order of start, stopping at the
 * first failure (the journal then retries later, or leaves the saga {@code STUCK}).
 *
 * <p>A step whose outcome is unknown (it started, its end was never recorded) is compensated as a failed
 * step: its handler sees a null result and a {@link StepOutcomeUnknownException}. A step whose bean or action
 * no longer exists, or whose arguments no longer read, leaves the saga {@code STUCK} with that reason.
 * Listeners (statistics, metrics, logs) see a recovered saga as a saga that started and rolled back.
 *
 * <p>A handler that is {@code @Transactional} on the journal's {@code DataSource} runs in the transaction that
 * marks its step compensated ({@link CompensationTransactions}): exactly once. Any other is at-least-once.
 */
public final class SagaRecovery {

    private static final Log LOG = LogFactory.getLog(SagaRecovery.class);

    private final SagaClaims claims;
    private final SagaJournal sagaJournal;
    private final JournalJson json;
    private final BeanFactory beanFactory;
    private final ReversibleOperationSource source;
    private final Supplier<List<SagaListener>> listeners;
    private final int batchSize;
    private final CompensationTransactions compensationTransactions;

    /**
     * @param claims claims and loads sagas for this instance
     * @param sagaJournal writes the compensations' outcomes
     * @param json reads arguments and results back
     * @param beanFactory finds the steps' beans by name
     * @param source finds their actions and handlers
     * @param listeners the executor's listeners (asked at each recovery)
     * @param batchSize how many sagas one claim takes
     */
    public SagaRecovery(SagaClaims claims, SagaJournal sagaJournal, JournalJson json, BeanFactory beanFactory,
            ReversibleOperationSource source, Supplier<List<SagaListener>> listeners, int batchSize) {
        this(claims, sagaJournal, json, beanFactory, source, listeners, batchSize, null);
    }

    /**
     * @param claims claims and loads sagas for this instance
     * @param sagaJournal writes the compensations' outcomes
     * @param json reads arguments and results back
     * @param beanFactory finds the steps' beans by name
     * @param source finds their actions and handlers
     * @param listeners the executor's listeners (asked at each recovery)
     * @param batchSize how many sagas one claim takes
     * @param compensationTransactions runs a handler that is transactional on the journal's database with its
     *     mark (exactly once), or {@code null}: every compensation at-least-once
     */
    public SagaRecovery(SagaClaims claims, SagaJournal sagaJournal, JournalJson json, BeanFactory beanFactory,
            ReversibleOperationSource source, Supplier<List<SagaListener>> listeners, int batchSize,
            CompensationTransactions compensationTransactions) {
        this.compensationTransactions = compensationTransactions;
        this.claims = claims;
        this.sagaJournal = sagaJournal;
        this.json = json;
        this.beanFactory = beanFactory;
        this.source = source;
        this.listeners = listeners;
        this.batchSize = batchSize;
    }

    /**
     * Claims the unfinished sagas of dead instances, batch by batch, and compensates each.
     * @return how many sagas were claimed
     */
    public int recoverDeadInstancesSagas() {
        int total = 0;
        List<SagaHandle> claimed;
        do {
            claimed = claims.claim(batchSize);
            claimed.forEach(this::compensate);
            total += claimed.size();
        } while (claimed.size() == batchSize);
        return total;
    }

    /**
     * Runs this instance's persistent compensation retries that are due.
     * @return how many sagas were retried
     */
    public int retryDueCompensations() {
        List<SagaHandle> due = claims.dueRetries(batchSize);
        due.forEach(this::compensate);
        return due.size();
    }

    /**
     * Compensates one saga this instance holds, from where it stands in the journal.
     * @param handle the saga at the epoch this instance holds
     * @return whether it ended {@code COMPENSATED}
     */
    public boolean compensate(SagaHandle handle) {
        return compensate(handle, Pass.BACKGROUND);
    }

    /**
     * An operator's retry of a saga this instance now holds ({@code StoredSagas.retry}): its pending
     * compensations run now, in rollback order from where it stopped, each with up to {@code maxAttempts}
     * attempts {@code backoff} apart (the in-memory retry of a live rollback). A compensation that fails them
     * all (or fails with a non-retryable type) leaves the saga {@code STUCK} again, with no persistent retry:
     * the operator asked for now, and sees the outcome.
     * @param handle the saga at the epoch the retry gave this instance
     * @param maxAttempts attempts per compensation, at least 1
     * @param backoff the wait between two attempts
     * @return whether it ended {@code COMPENSATED}
     */
    public boolean retryNow(SagaHandle handle, int maxAttempts, Duration backoff) {
        try {
            return compensate(handle, new Pass(Math.max(1, maxAttempts), backoff, true));
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

    /**
     * How one pass over a saga runs its compensations.
     * @param maxAttempts attempts per compensation in this pass
     * @param backoff the wait between two of them
     * @param operator an operator's retry: a failure sticks the saga at once instead of scheduling a persistent retry
     */
    private record Pass(int maxAttempts, Duration backoff, boolean operator) {

        static final Pass BACKGROUND = new Pass(1, Duration.ZERO, false);
    }

    private boolean compensate(SagaHandle handle, Pass pass) {
        StoredSaga saga;
        try {
            saga = claims.load(handle);
        } catch (JournalFencedException e) {
            LOG.info("Saga " + handle.sagaId() + " not recovered here: " + e.getMessage());
            return false;
        }
        Recovered info = new Recovered(saga.id(), saga.name());
        List<SagaListener> observers = listeners.get();
        emit(observers, l -> l.sagaStarted(info));
        long start = System.nanoTime();
        JournaledSaga writer = sagaJournal.resume(handle);
        List<String> compensated = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        List<String> pending = new ArrayList<>();
        List<String> undone = new ArrayList<>();
        Throwable cause = new SagaRecoveredException(pass.operator()
                ? "Saga " + saga.name() + " (" + saga.id() + ") was retried by an operator from the journal"
                : "Saga " + saga.name() + " (" + saga.id() + ") was recovered from the journal"
                        + " by " + saga.ownerName() + ": the instance that ran it stopped before it ended");
        boolean complete = true;
        try {
            for (StoredStep step : saga.stepsInRollbackOrder()) {
                if (!complete) {
                    pending.add(step.actionName());
                    continue;
                }
                switch (step.status()) {
                    case COMPENSATED -> {
                    }
                    case UNDONE_BY_TRANSACTION -> undone.add(step.actionName());
                    default -> {
                        Outcome outcome = compensateStep(saga, step, writer, info, observers, pass);
                        switch (outcome) {
                            case COMPENSATED -> compensated.add(step.actionName());
                            case FAILED -> {
                                failed.add(step.actionName());
                                pending.add(step.actionName());
                                complete = false;
                            }
                            case STUCK -> {
                                pending.add(step.actionName());
                                complete = false;
                            }
                        }
                    }
                }
            }
            if (complete) {
                writer.sagaCompensated();
            }
        } catch (JournalFencedException e) {
            LOG.warn("Recovery of saga " + saga.name() + " (" + saga.id() + ") stopped: another instance holds it now: " + e.getMessage());
            complete = false;
        }
        RollbackReport report = new RollbackReport(saga.failedStep(), cause, compensated, failed, pending, undone);
        long nanos = System.nanoTime() - start;
        emit(observers, l -> l.sagaRolledBack(info, nanos, report));
        if (complete) {
            LOG.info("Recovered saga " + saga.name() + " (" + saga.id() + "): compensated " + compensated);
        }
        return complete;
    }

    private enum Outcome { COMPENSATED, FAILED, STUCK }

    private Outcome compensateStep(StoredSaga saga, StoredStep step, JournaledSaga writer, Recovered info, List<SagaListener> observers,
            Pass pass) {
        String where = "step " + step.index() + " (" + step.actionName() + ") of saga " + saga.name() + " (" + saga.id() + ")";
        Resolved resolved;
        try {
            resolved = resolve(step, where);
        } catch (StuckException e) {
            LOG.error("Saga " + saga.name() + " (" + saga.id() + ") is STUCK: " + e.getMessage());
            writer.stuck(ErrorText.reason(e.getMessage()));
            return Outcome.STUCK;
        }
        Throwable failure = switch (step.status()) {
            case UNKNOWN, RUNNING -> new StepOutcomeUnknownException("The outcome of " + where
                    + " is unknown: its instance stopped before recording how it ended");
            case FAILED -> step.lastError() != null ? new JournaledStepFailure(step.lastError()) : null;
            default -> null;
        };
        Object result = failure == null ? resolved.result : null;
        emit(observers, l -> l.compensationStarted(info, step.actionName()));
        Throwable thrown = null;
        for (int i = 0; i < pass.maxAttempts(); i++) {
            int attempt = step.attempts() + 1 + i;
            if (i > 0 && !pass.backoff().isZero()) {
                pauseBeforeRetry(pass.backoff());
            }
            long start = System.nanoTime();
            RecoveredCompensationContext context = new RecoveredCompensationContext(saga.id(), saga.name(), step.actionName(),
                    step.index(), result, failure, attempt);
            // A @Transactional handler on the journal's DataSource is marked done inside its own transaction (exactly once).
            CompensationTransactions.Transaction transaction = compensationTransactions == null ? null
                    : compensationTransactions.transactionFor(resolved.spec.handler().method(), resolved.receiver);
            boolean marked = false;
            try {
                Object returned;
                if (transaction != null) {
                    CompensationTransactions.Called called = transaction.call(
                            () -> resolved.spec.handler().invoke(resolved.receiver, resolved.arguments, result, context),
                            () -> writer.compensatedInCurrentTransaction(step.index(), attempt));
                    returned = called.returned();
                    marked = called.marked();
                } else {
                    returned = resolved.spec.handler().invoke(resolved.receiver, resolved.arguments, result, context);
                }
                if (returned instanceof CompletionStage<?> stage) {
                    stage.toCompletableFuture().join();
                }
            } catch (Throwable e) {
                Throwable attemptFailure = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                thrown = attemptFailure;
                long nanos = System.nanoTime() - start;
                emit(observers, l -> l.compensationFailed(info, step.actionName(), attempt, nanos, attemptFailure));
                writer.compensationFailed(step.index(), attempt, attemptFailure);
                LOG.warn((pass.operator() ? "Operator retry" : "Recovery") + ": the compensation of " + where + " failed (attempt "
                        + attempt + ")", attemptFailure);
                continue;
            }
            long nanos = System.nanoTime() - start;
            if (!marked) {
                writer.compensated(step.index(), attempt);
            }
            emit(observers, l -> l.compensationSucceeded(info, step.actionName(), attempt, nanos));
            return Outcome.COMPENSATED;
        }
        if (pass.operator()) {
            LOG.error("Saga " + saga.name() + " (" + saga.id() + ") is STUCK again after an operator's retry: the compensation of "
                    + where + " failed");
            writer.stuck(ErrorText.of(thrown));
        } else {
            writer.retryLater(thrown);
        }
        return Outcome.FAILED;
    }

    private static void pauseBeforeRetry(Duration backoff) {
        try {
            Thread.sleep(backoff.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Resolved resolve(StoredStep step, String where) {
        if (JdbcStepJournal.NOT_A_SINGLETON.equals(step.beanName())) {
            throw new StuckException(where + " ran on a bean that is not a singleton (prototype or scoped): it was compensated"
                    + " in memory only, and cannot be found again after a restart");
        }
        if (JdbcStepJournal.NOT_DURABLE.equals(step.beanName())) {
            throw new StuckException(where + " is not durable (@ReversibleAction(durable = false)): its arguments were not journaled,"
                    + " it was compensated in memory only, and cannot be compensated after a restart");
        }
        if (!beanFactory.containsBean(step.beanName())) {
            throw new StuckException(where + ": no bean '" + step.beanName() + "' any more");
        }
        Object bean = beanFactory.getBean(step.beanName());
        Class<?> beanClass = AopProxyUtils.ultimateTargetClass(bean);
        Optional<ActionSpec> found = source.action(beanClass, step.actionName());
        if (found.isEmpty()) {
            throw new StuckException(where + ": bean '" + step.beanName() + "' (" + beanClass.getName() + ") has no action '"
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
            throw new StuckException(where + ": its journaled arguments or result no longer read into "
                    + spec.handler() + ": " + e.getMessage());
        }
        Object target = AopProxyUtils.getSingletonTarget(bean);
        return new Resolved(spec, spec.handler().receiver(bean, target != null ? target : bean), arguments, result);
    }

    private static void emit(List<SagaListener> observers, Consumer<SagaListener> event) {
        for (SagaListener listener : observers) {
            try {
                event.accept(listener);
            } catch (RuntimeException e) {
                LOG.warn("Saga listener " + listener + " failed on a recovered saga", e);
            }
        }
    }

    private record Resolved(ActionSpec spec, Object receiver, Object[] arguments, Object result) {
    }

    /** A recovered saga, as listeners see it: its journaled id and name. */
    private record Recovered(String id, String name) implements SagaInfo {

        @Override
        public String toString() {
            return "recovered saga " + name + " (" + id + ")";
        }
    }

    private static final class StuckException extends RuntimeException {

        StuckException(String message) {
            super(message, null, false, false);
        }
    }
}
