package dev.reversible.demo.order;

/** Where an order stands. */
public enum OrderStatus {

    /** Written before the saga starts. */
    PENDING,

    /** Every step of the saga completed. */
    CONFIRMED,

    /** A step failed and everything the saga had done was compensated. */
    CANCELLED,

    /** A step failed and a compensation failed too: some of the saga's effects are still in place. */
    COMPENSATION_FAILED
}
