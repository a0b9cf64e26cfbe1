package dev.reversible.spring.jdbc;

import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

import dev.reversible.core.SagaExecutor;
import dev.reversible.jdbc.JournalInstance;
import dev.reversible.jdbc.StoredSaga;
import dev.reversible.jdbc.StoredSagas;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Cancels running sagas on whichever instance runs them. The request is recorded on the saga's row first — so it
 * survives a crash, and an instance that runs the saga finds it — and, when this instance runs the saga, the core
 * cancels it at once ({@link SagaExecutor#cancel}); another instance applies it at its next heartbeat
 * ({@link #applyRequests()}). Either way the saga fails with {@link dev.reversible.core.SagaCancelledException} at
 * its next step boundary and is compensated like for any failure.
 */
public final class SagaCancellation {

    private static final Log LOG = LogFactory.getLog(SagaCancellation.class);

    private final StoredSagas storedSagas;
    private final JournalInstance instance;
    private final Supplier<SagaExecutor> executor;

    /**
     * @param storedSagas where requests are recorded and found
     * @param instance this instance
     * @param executor the executor running this instance's sagas, asked lazily
     */
    public SagaCancellation(StoredSagas storedSagas, JournalInstance instance, Supplier<SagaExecutor> executor) {
        this.storedSagas = Objects.requireNonNull(storedSagas, "storedSagas");
        this.instance = Objects.requireNonNull(instance, "instance");
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    /**
     * Requests the cancellation of a running saga, and applies it here when this instance runs it.
     * @param saga the saga as read from the journal
     * @return whether the request was recorded; false when the saga is no longer {@code RUNNING}
     */
    boolean request(StoredSaga saga) {
        if (!storedSagas.requestCancel(saga.id())) {
            return false;
        }
        if (instance.id().equals(saga.ownerInstance())) {
            executor.get().cancel(saga.id());
        }
        return true;
    }

    /**
     * Applies the requests recorded for the sagas this instance runs — made through another instance — each at most
     * once per saga (the core ignores a second cancel). Run at every heartbeat.
     * @return how many sagas were cancelled now
     */
    public int applyRequests() {
        List<String> requested = storedSagas.cancelRequested(instance);
        int cancelled = 0;
        for (String id : requested) {
            if (executor.get().cancel(id)) {
                cancelled++;
                LOG.warn("Saga " + id + " cancelled at an operator's request made through another instance: it fails at its next step boundary");
            }
        }
        return cancelled;
    }
}
