package dev.reversible.spring.statistics;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Live counters of one saga name (or of all sagas, for the totals): how many started and how each ended,
 * with the time spent per outcome.
 *
 * <pre>{@code
 * SagaCounts counts = statistics.saga("OrderService.placeOrder");
 * long undone = counts.compensated();
 * }</pre>
 */
public final class SagaCounts {

    private final String name;
    private final LongAdder started = new LongAdder();
    private final Outcome completed = new Outcome();
    private final Outcome compensated = new Outcome();
    private final Outcome compensationFailed = new Outcome();
    private final Outcome failed = new Outcome();

    SagaCounts(String name) {
        this.name = name;
    }

    /** A count and the total time of one outcome. */
    public static final class Outcome {

        private final LongAdder count = new LongAdder();
        private final LongAdder nanos = new LongAdder();

        void record(long durationNanos) {
            nanos.add(durationNanos);
            count.increment();
        }

        /** Counts one more, without its time (a step's: see {@link SagaStatistics#ignoresStepDurations()}). */
        void increment() {
            count.increment();
        }

        /** @return how many ended this way */
        public long count() {
            return count.sum();
        }

        /** @return the total time of those, in {@code unit} */
        public double totalTime(TimeUnit unit) {
            return (double) nanos.sum() / unit.toNanos(1);
        }
    }

    @Override
    public String toString() {
        return name == null ? "all sagas" : "saga " + name;
    }

    /** @return the saga name ({@code null} for the totals) */
    public String name() {
        return name;
    }

    void recordStart() {
        started.increment();
    }

    /** @return how many started */
    public long started() {
        return started.sum();
    }

    /** @return how many returned normally */
    public long completed() {
        return completed.count();
    }

    /** @return how many failed and were completely compensated */
    public long compensated() {
        return compensated.count();
    }

    /** @return how many failed and could not be completely compensated */
    public long compensationFailed() {
        return compensationFailed.count();
    }

    /** @return how many failed with an exception that keeps the completed steps ({@code noRollbackFor}) */
    public long failed() {
        return failed.count();
    }

    /** @return how many are running now */
    public long active() {
        // Ended counts are read first and every saga is counted as started before it ends, so a saga starting or
        // ending between the two reads can only make this an instant's over-estimate, never negative.
        long ended = completed() + compensated() + compensationFailed() + failed();
        return Math.max(0, started() - ended);
    }

    /** @return the outcome {@code completed} */
    public Outcome completedOutcome() {
        return completed;
    }

    /** @return the outcome {@code compensated} */
    public Outcome compensatedOutcome() {
        return compensated;
    }

    /** @return the outcome {@code compensation_failed} */
    public Outcome compensationFailedOutcome() {
        return compensationFailed;
    }

    /** @return the outcome {@code failed} */
    public Outcome failedOutcome() {
        return failed;
    }
}
