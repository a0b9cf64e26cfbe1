package dev.reversible.spring;

/** For tests that assert a measured duration is positive: work that lasts until the clock has moved, on any clock. */
public final class ClockTicks {

    private ClockTicks() {
    }

    /** Spins until {@link System#nanoTime()} has moved (a coarse clock could otherwise measure a trivial step as 0). */
    public static void untilTheClockMoves() {
        long start = System.nanoTime();
        while (System.nanoTime() == start) {
            Thread.onSpinWait();
        }
    }
}
