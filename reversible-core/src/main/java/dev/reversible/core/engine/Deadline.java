package dev.reversible.core.engine;

import java.time.Duration;

/**
 * A saga's deadline (rule "Time" in {@code docs/design.md}): made, when its outermost composite has a timeout, as the
 * saga starts. Past it no step may start ({@link SagaRun#checkStepStart}), and an asynchronous step still pending
 * then times out ({@link Timeouts#bound}). Immutable.
 */
final class Deadline {

    /** From the saga's start to its deadline. */
    final Duration timeout;
    /** When it passes, in {@link System#nanoTime()}'s terms. */
    final long at;

    Deadline(Duration timeout) {
        this.timeout = timeout;
        this.at = System.nanoTime() + timeout.toNanos();
    }

    /**
     * How long an asynchronous step starting now may take: its own timeout, but no longer than the time left before
     * the saga's deadline.
     * @param deadline the saga's deadline, or {@code null} for none
     * @param stepTimeout the step's own timeout, or {@code null} for none
     * @return nanoseconds, or -1 for no limit
     */
    static long stepTimeoutNanos(Deadline deadline, Duration stepTimeout) {
        long limit = stepTimeout == null ? -1 : stepTimeout.toNanos();
        if (deadline != null) {
            long left = Math.max(0, deadline.at - System.nanoTime());
            limit = limit < 0 ? left : Math.min(limit, left);
        }
        return limit;
    }
}
