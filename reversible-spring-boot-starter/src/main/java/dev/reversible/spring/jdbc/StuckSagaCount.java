package dev.reversible.spring.jdbc;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import dev.reversible.jdbc.SagaStatus;
import dev.reversible.jdbc.StoredSagas;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.ApplicationListener;

/**
 * How many sagas are {@code STUCK} and since when, read from the journal at most once per {@code maxAge}
 * (two small queries), so that the health indicator and the {@code reversible.saga.stuck} gauge can be asked
 * as often as probes and scrapes like without reaching the database each time. An operator's retry or resolve
 * ({@link SagaOperatorEvent}) makes the next read fresh.
 *
 * <p>When the journal cannot be read (the database is down), the snapshot says so and keeps the last
 * count that was read.
 */
public final class StuckSagaCount implements ApplicationListener<SagaOperatorEvent> {

    private static final Log LOG = LogFactory.getLog(StuckSagaCount.class);

    /** How many sagas of each unfinished status the unrecoverable count looks at, at most. */
    static final int UNRECOVERABLE_SCAN = 1000;

    private final StoredSagas storedSagas;
    private final Clock clock;
    private final long maxAgeNanos;
    private final SagaRecovery recovery;
    private volatile Timed latest;

    /**
     * @param storedSagas the journal
     * @param clock the application's clock (the journal's {@code updated_at} is written on it)
     * @param maxAge how long a snapshot is served before the journal is read again
     */
    public StuckSagaCount(StoredSagas storedSagas, Clock clock, Duration maxAge) {
        this(storedSagas, clock, maxAge, null);
    }

    /**
     * @param storedSagas the journal as operators see it
     * @param clock the application's clock, for the oldest stuck saga's age
     * @param maxAge how long a count is reused
     * @param recovery tells which unfinished sagas this instance could not compensate (counted as
     *     {@code unrecoverable}), or {@code null}: none counted
     */
    public StuckSagaCount(StoredSagas storedSagas, Clock clock, Duration maxAge, SagaRecovery recovery) {
        this.storedSagas = Objects.requireNonNull(storedSagas, "storedSagas");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxAgeNanos = maxAge.toNanos();
        this.recovery = recovery;
    }

    /** @return the stuck sagas as read at most {@code maxAge} ago */
    public Snapshot current() {
        Timed timed = latest;
        if (isFresh(timed)) {
            return timed.snapshot;
        }
        synchronized (this) {
            timed = latest;
            if (isFresh(timed)) {
                return timed.snapshot;
            }
            Snapshot snapshot = read(timed == null ? null : timed.snapshot);
            latest = new Timed(snapshot, System.nanoTime(), false);
            return snapshot;
        }
    }

    private boolean isFresh(Timed timed) {
        return timed != null && !timed.stale && System.nanoTime() - timed.readAt < maxAgeNanos;
    }

    private Snapshot read(Snapshot previous) {
        try {
            long stuck = storedSagas.count(SagaStatus.STUCK);
            Optional<Instant> oldest = stuck == 0 ? Optional.empty() : storedSagas.oldestUpdate(SagaStatus.STUCK);
            // Rounded to whole seconds: the database keeps fewer fractional digits than the clock, and an operator needs no more.
            Duration age = oldest.map(at -> Duration.between(at, clock.instant()).plusMillis(500).truncatedTo(ChronoUnit.SECONDS))
                    .map(d -> d.isNegative() ? Duration.ZERO : d).orElse(null);
            return new Snapshot(true, stuck, age, null, unrecoverable());
        } catch (RuntimeException e) {
            LOG.debug("The journal could not be read for the stuck sagas", e);
            return new Snapshot(false, previous == null ? 0 : previous.stuck(), previous == null ? null : previous.oldestStuck(),
                    e.getClass().getName(), previous == null ? 0 : previous.unrecoverable());
        }
    }

    /** The unfinished sagas (at most {@value #UNRECOVERABLE_SCAN} per status) that this instance's code could not compensate. */
    private long unrecoverable() {
        if (recovery == null) {
            return 0;
        }
        long count = 0;
        for (SagaStatus status : List.of(SagaStatus.RUNNING, SagaStatus.COMPENSATING, SagaStatus.STUCK)) {
            count += storedSagas.list(status, UNRECOVERABLE_SCAN, 0).stream()
                    .filter(saga -> recovery.unrecoverableReason(saga).isPresent()).count();
        }
        return count;
    }

    /** Makes the next read go to the journal (an operator just changed what it counts); the last count is kept for when it is unreachable. */
    public void refresh() {
        Timed timed = latest;
        if (timed != null) {
            latest = new Timed(timed.snapshot, timed.readAt, true);
        }
    }

    @Override
    public void onApplicationEvent(SagaOperatorEvent event) {
        refresh();
    }

    /**
     * The stuck sagas at one moment.
     * @param reachable whether the journal could be read
     * @param stuck how many sagas are {@code STUCK} (the last count read when the journal is unreachable)
     * @param oldestStuck how long the oldest stuck saga has been stuck, or null when none is
     * @param error the class of the failure that made the journal unreachable, or null
     * @param unrecoverable how many unfinished sagas ({@code RUNNING}, {@code COMPENSATING}, {@code STUCK}) this
     *     instance's code could not compensate: a step's bean or action unknown here, its arguments unreadable
     */
    public record Snapshot(boolean reachable, long stuck, Duration oldestStuck, String error, long unrecoverable) {
    }

    private record Timed(Snapshot snapshot, long readAt, boolean stale) {
    }
}
