package dev.reversible.spring.jdbc;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import dev.reversible.jdbc.JournalInstance;
import dev.reversible.jdbc.SagaHandle;
import dev.reversible.jdbc.SagaStatus;
import dev.reversible.jdbc.StoredSaga;
import dev.reversible.jdbc.StoredSagas;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.ApplicationEventPublisher;

/**
 * What an operator does with the journal's sagas, as a Java API (the {@code sagas} actuator endpoint is a
 * thin layer over it): list them, look at one, act on a {@code STUCK} one — retry its pending
 * compensations now, or resolve it with a note saying why nothing more should run — and cancel a {@code RUNNING}
 * one, on whichever instance runs it.
 *
 * <p>Each action is a conditional update on the saga's status: of two operators acting on the same saga at
 * once, exactly one wins, and the other gets {@link SagaOperationResult.Outcome#CONFLICT CONFLICT} with the
 * saga as it stands. Each action that ran is logged at {@code WARN} (saga, operation, note) and published as
 * a {@link SagaRetriedEvent}, {@link SagaResolvedEvent} or {@link SagaCancelledEvent}.
 *
 * <pre>{@code
 * for (StoredSaga stuck : sagaOperations.list(SagaStatus.STUCK, 100)) {
 *     SagaOperationResult retried = sagaOperations.retry(stuck.id());   // COMPENSATED, or STUCK again
 * }
 * sagaOperations.resolve(id, "refunded by hand, ticket 4711");
 * }</pre>
 */
public final class SagaOperations {

    /** The most sagas one {@link #list} returns. */
    public static final int MAX_LIMIT = 1000;

    private static final Log LOG = LogFactory.getLog(SagaOperations.class);

    private final StoredSagas storedSagas;
    private final SagaRecovery recovery;
    private final JournalInstance instance;
    private final ApplicationEventPublisher events;
    private final SagaCancellation cancellation;

    /**
     * @param storedSagas the journal as operators see it
     * @param recovery runs a retried saga's compensations through the same handlers, listeners and journal writes
     * @param instance this instance, which runs the retries it wins
     * @param events where the operations are published
     * @param cancellation cancels running sagas here or, through the journal, on the instance that runs them
     */
    public SagaOperations(StoredSagas storedSagas, SagaRecovery recovery, JournalInstance instance, ApplicationEventPublisher events,
            SagaCancellation cancellation) {
        this.storedSagas = Objects.requireNonNull(storedSagas, "storedSagas");
        this.recovery = Objects.requireNonNull(recovery, "recovery");
        this.instance = Objects.requireNonNull(instance, "instance");
        this.events = Objects.requireNonNull(events, "events");
        this.cancellation = Objects.requireNonNull(cancellation, "cancellation");
    }

    /**
     * @param status only sagas in this status, or null for all
     * @param limit the most sagas to return, 1 to {@value #MAX_LIMIT}
     * @return the sagas with their steps, newest (latest started) first
     * @throws IllegalArgumentException for a limit outside 1 to {@value #MAX_LIMIT}
     */
    public List<StoredSaga> list(SagaStatus status, int limit) {
        return list(status, limit, 0);
    }

    /**
     * A page of {@link #list(SagaStatus, int)}.
     * @param status only sagas in this status, or null for all
     * @param limit the most sagas to return, 1 to {@value #MAX_LIMIT}
     * @param offset how many of the newest to skip, not negative
     * @return the sagas with their steps, newest (latest started) first
     * @throws IllegalArgumentException for a limit outside 1 to {@value #MAX_LIMIT} or a negative offset
     */
    public List<StoredSaga> list(SagaStatus status, int limit, int offset) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", not " + limit);
        }
        return storedSagas.list(status, limit, offset);
    }

    /**
     * @param saga a saga from the journal
     * @return why this instance could not compensate it (a step's bean or action unknown here, its arguments
     *     unreadable, a step that can never be found again), or empty
     */
    public Optional<String> unrecoverableReason(StoredSaga saga) {
        return recovery.unrecoverableReason(saga);
    }

    /** @return how many sagas the journal holds in each status, every status present */
    public Map<SagaStatus, Long> counts() {
        return storedSagas.counts();
    }

    /**
     * @param id a saga's id
     * @return the saga with its steps, or empty (never journaled, completed and deleted, or purged)
     */
    public Optional<StoredSaga> find(String id) {
        return storedSagas.find(id);
    }

    /**
     * Retries a {@code STUCK} saga now: it becomes {@code COMPENSATING}, owned by this instance, and its
     * pending compensations run on the calling thread in rollback order, from where it stopped, each with the
     * executor's in-memory attempts ({@code reversible.compensation.retry.*}). It ends {@code COMPENSATED}, or {@code STUCK} again with the new failure (no
     * persistent retry: the operator sees the outcome at once).
     * @param id the saga's id
     * @return {@code DONE} with the saga after the retry; {@code CONFLICT} when it is not {@code STUCK};
     *     {@code NOT_FOUND}
     */
    public SagaOperationResult retry(String id) {
        Optional<SagaHandle> won = storedSagas.retry(id, instance);
        if (won.isEmpty()) {
            return refused(id, "retry");
        }
        LOG.warn("Operator retry of saga " + id + ": running its pending compensations now");
        recovery.retryNow(won.get());
        StoredSaga after = storedSagas.find(id).orElseThrow(() -> new IllegalStateException("Saga " + id + " vanished during its retry"));
        LOG.warn("Operator retry of saga " + after.name() + " (" + id + "): " + after.status());
        events.publishEvent(new SagaRetriedEvent(this, id, after.name(), after.status()));
        return SagaOperationResult.done(after);
    }

    /**
     * Closes a {@code STUCK} saga: {@code RESOLVED}, the note kept, nothing more runs for it (an operator has
     * dealt with what its compensations could not).
     * @param id the saga's id
     * @param note why, not blank (who did what by hand, a ticket)
     * @return {@code DONE} with the resolved saga; {@code CONFLICT} when it is not {@code STUCK}; {@code NOT_FOUND}
     * @throws IllegalArgumentException for a blank note
     */
    public SagaOperationResult resolve(String id, String note) {
        if (note == null || note.isBlank()) {
            throw new IllegalArgumentException("A resolved saga needs a note saying why");
        }
        if (!storedSagas.resolve(id, note)) {
            return refused(id, "resolve");
        }
        StoredSaga after = storedSagas.find(id).orElseThrow(() -> new IllegalStateException("Saga " + id + " vanished when resolved"));
        LOG.warn("Operator resolved saga " + after.name() + " (" + id + "): RESOLVED, note: " + note);
        events.publishEvent(new SagaResolvedEvent(this, id, after.name(), note));
        return SagaOperationResult.done(after);
    }

    /**
     * Cancels a {@code RUNNING} saga, on this instance or — through the journal, at its next heartbeat — on the one
     * that runs it: it fails with {@link dev.reversible.core.SagaCancelledException} at its next step boundary and
     * its compensations run as for any failure. The request is recorded on the saga's row, so a saga whose instance
     * crashes meanwhile is compensated by recovery all the same.
     * @param id the saga's id
     * @return {@code DONE} with the saga as it stands (still {@code RUNNING}: it stops at its next boundary);
     *     {@code CONFLICT} when it is not {@code RUNNING}; {@code NOT_FOUND}
     */
    public SagaOperationResult cancel(String id) {
        Optional<StoredSaga> saga = storedSagas.find(id);
        if (saga.isEmpty() || saga.get().status() != SagaStatus.RUNNING || !cancellation.request(saga.get())) {
            return refused(id, "cancel", SagaStatus.RUNNING);
        }
        StoredSaga after = storedSagas.find(id).orElse(saga.get());
        LOG.warn("Operator cancelled saga " + after.name() + " (" + id + ") running on " + after.ownerName()
                + ": it fails at its next step boundary and is compensated");
        events.publishEvent(new SagaCancelledEvent(this, id, after.name(), after.status()));
        return SagaOperationResult.done(after);
    }

    private SagaOperationResult refused(String id, String operation) {
        return refused(id, operation, SagaStatus.STUCK);
    }

    private SagaOperationResult refused(String id, String operation, SagaStatus required) {
        Optional<StoredSaga> saga = storedSagas.find(id);
        if (saga.isEmpty()) {
            LOG.info("Operator " + operation + " of saga " + id + " refused: no such saga");
            return SagaOperationResult.notFound();
        }
        LOG.info("Operator " + operation + " of saga " + saga.get().name() + " (" + id + ") refused: it is " + saga.get().status()
                + ", not " + required);
        return SagaOperationResult.conflict(saga.get());
    }
}
