package dev.reversible.demo.order;

/** Where an order stands. */
public enum OrderStatus {

    /** Written by the saga's first step; an order stays so only while its saga runs or is being rolled back. */
    PENDING,

    /** Written by the saga's last step: every other step completed. */
    CONFIRMED,

    /**
     * Written by the compensation of the saga's first step, the last to run: everything the saga had done was
     * compensated — live, retried in the background, or recovered after a crash.
     */
    CANCELLED,

    /**
     * A step failed and a compensation failed too: some of the saga's effects are still in place, and the journal
     * holds the saga {@code STUCK} for an operator (a retry that succeeds cancels the order).
     */
    COMPENSATION_FAILED
}
