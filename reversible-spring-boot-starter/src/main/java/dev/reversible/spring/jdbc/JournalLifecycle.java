package dev.reversible.spring.jdbc;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.reversible.jdbc.InstanceRegistry;
import dev.reversible.jdbc.JournalInstance;
import dev.reversible.jdbc.StoredSagas;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The journal's own background work, on schedulers this class owns (no {@code @EnableScheduling} needed):
 * this instance's heartbeat (on a thread of its own, so that a long recovery round never makes this instance
 * look dead), the recovery of dead instances' sagas and of due persistent retries, the saga
 * ends that could not be written, and the purge of finished sagas. On a graceful shutdown it refuses new
 * sagas, lets running ones finish (at most {@code shutdownWait}), stops the scheduler and marks the
 * instance gone, so that other instances need not wait for its timeout.
 *
 * <p>Its phase is low: it starts before, and stops after, the web server's graceful shutdown.
 */
public final class JournalLifecycle implements SmartLifecycle {

    /** Before the web server (whose graceful shutdown runs at {@code DEFAULT_PHASE - 1024}) and after it on stop. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private static final Log LOG = LogFactory.getLog(JournalLifecycle.class);
    private static final Duration PURGE_INTERVAL = Duration.ofHours(1);
    private static final int PURGE_BATCH = 500;

    private final InstanceRegistry instances;
    private final JournalInstance instance;
    private final JdbcStepJournal steps;
    private final SagaRecovery recovery;
    private final StoredSagas storedSagas;
    private final Duration heartbeatInterval;
    private final Duration retention;
    private final Duration shutdownWait;
    private volatile ScheduledExecutorService scheduler;
    private volatile ScheduledExecutorService heartbeats;
    private final SagaCancellation cancellation;

    /**
     * @param instances the instance registry
     * @param instance this instance, registered when the journal was created
     * @param steps the write path, to refuse and await sagas on shutdown and retry unwritten ends
     * @param recovery the recovery
     * @param storedSagas the purge
     * @param heartbeatInterval how often the heartbeat and the recovery run
     * @param retention how long finished sagas are kept
     * @param shutdownWait the longest wait for running sagas on shutdown
     */
    public JournalLifecycle(InstanceRegistry instances, JournalInstance instance, JdbcStepJournal steps, SagaRecovery recovery,
            StoredSagas storedSagas, Duration heartbeatInterval, Duration retention, Duration shutdownWait) {
        this(instances, instance, steps, recovery, storedSagas, heartbeatInterval, retention, shutdownWait, null);
    }

    /**
     * @param instances the instance registry
     * @param instance this instance, registered when the journal was created
     * @param steps the write path, to refuse and await sagas on shutdown and retry unwritten ends
     * @param recovery the recovery
     * @param storedSagas the purge
     * @param heartbeatInterval how often the heartbeat and the recovery run
     * @param retention how long finished sagas are kept
     * @param shutdownWait the longest wait for running sagas on shutdown
     * @param cancellation applies, at each heartbeat, the cancellations requested through other instances; or null
     */
    public JournalLifecycle(InstanceRegistry instances, JournalInstance instance, JdbcStepJournal steps, SagaRecovery recovery,
            StoredSagas storedSagas, Duration heartbeatInterval, Duration retention, Duration shutdownWait,
            SagaCancellation cancellation) {
        this.cancellation = cancellation;
        this.instances = instances;
        this.instance = instance;
        this.steps = steps;
        this.recovery = recovery;
        this.storedSagas = storedSagas;
        this.heartbeatInterval = heartbeatInterval;
        this.retention = retention;
        this.shutdownWait = shutdownWait;
    }

    @Override
    public void start() {
        // A stop refused new sagas and deleted this instance's row; a start after it (Spring's test context cache
        // pauses and resumes contexts) admits them again, and the first heartbeat, here, writes the row again.
        steps.admit();
        // The first heartbeat on the starting thread, the next ones one interval later: a heartbeat left to run "at
        // once" on its own thread could land at any moment, even after this instance was marked gone, and bring it
        // back to life.
        guarded("heartbeat", () -> instances.heartbeat(instance)).run();
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(daemon("reversible-journal"));
        // The heartbeat has a thread of its own: a recovery round (hundreds of claimed sagas, slow handlers) can
        // last longer than the instance timeout, and an instance that stopped heartbeating meanwhile would look
        // dead — others would claim the sagas it is compensating, and undo their steps a second time.
        ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(daemon("reversible-journal-heartbeat"));
        long interval = Math.max(1, heartbeatInterval.toMillis());
        heartbeat.scheduleWithFixedDelay(guarded("heartbeat", this::heartbeat), interval, interval, TimeUnit.MILLISECONDS);
        executor.scheduleWithFixedDelay(guarded("recovery", this::recover), 0, interval, TimeUnit.MILLISECONDS);
        executor.scheduleWithFixedDelay(guarded("purge", this::purge), PURGE_INTERVAL.toMillis(), PURGE_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
        heartbeats = heartbeat;
        scheduler = executor;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /**
     * One heartbeat: this instance is alive; and the cancellations requested through other instances for the sagas
     * it runs are applied — here, on the heartbeat's own thread, so that a long recovery round never delays them.
     */
    void heartbeat() {
        instances.heartbeat(instance);
        if (cancellation != null) {
            cancellation.applyRequests();
        }
    }

    /** One round of recovery: unwritten ends first (this instance's own sagas), then dead instances' sagas, then retries. */
    void recover() {
        steps.retryUnwrittenEnds();
        recovery.recoverDeadInstancesSagas();
        recovery.retryDueCompensations();
        instances.forgetDeadInstances();
    }

    private void purge() {
        int purged = storedSagas.purge(retention, PURGE_BATCH);
        if (purged > 0) {
            LOG.info("Purged " + purged + " finished sagas older than " + retention + " from the journal");
        }
    }

    private static Runnable guarded(String what, Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("The journal's " + what + " failed; it runs again at its next turn", e);
            }
        };
    }

    @Override
    public void stop() {
        ScheduledExecutorService executor = scheduler;
        scheduler = null;
        if (executor == null) {
            return;
        }
        steps.stopAdmitting();
        try {
            if (!steps.awaitIdle(shutdownWait)) {
                LOG.warn(steps.runningSagas() + " saga(s) still running after " + shutdownWait
                        + "; another instance will recover them once this one is gone");
            }
            // shutdown, not shutdownNow: an interrupt in the middle of a write closes an H2 file database's channel,
            // and with it the database. Periodic tasks stop; one that is running finishes.
            executor.shutdown();
            executor.awaitTermination(shutdownWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Heartbeats went on while running sagas and a recovery round finished: until now, this instance owns them.
        ScheduledExecutorService heartbeat = heartbeats;
        heartbeats = null;
        heartbeat.shutdown();
        try {
            heartbeat.awaitTermination(shutdownWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            instances.gone(instance);
        } catch (RuntimeException e) {
            LOG.warn("Could not mark instance " + instance.name() + " gone; others will wait for its timeout", e);
        }
    }

    @Override
    public boolean isRunning() {
        return scheduler != null;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /** @return this instance, as the journal knows it */
    public JournalInstance instance() {
        return instance;
    }
}
