package dev.reversible.spring.annotation;

/**
 * Where the durable journal writes a step's record — how a crash at any point is made to leave a record of
 * everything that may have happened. Without {@code reversible-jdbc} it changes nothing.
 *
 * <pre>{@code
 * @ReversibleAction(value = "reserveStock", record = StepRecord.IN_TRANSACTION)
 * @Transactional
 * public Reservation reserve(String sku, int quantity) { ... }   // one UPDATE, nothing else
 *
 * @ReversibleAction("bookShipment")                              // WRITE_AHEAD: it calls a carrier over HTTP
 * public CompletableFuture<Shipment> book(String order) { ... }
 * }</pre>
 */
public enum StepRecord {

    /**
     * The default, safe for any side effect: the step's record is committed in a transaction of the journal's own
     * before the step runs (its end rides on the next commit). One journal commit per step.
     */
    WRITE_AHEAD,

    /**
     * The step says all its work is in its own transaction on the journal's {@code DataSource} (its
     * {@code @Transactional} starts one, under any transaction manager whose resource is that
     * {@code DataSource}, JPA's included): its record — start, arguments, result — is written inside that
     * transaction, the saga's row with the first such record, so the step and its record commit or vanish
     * together and the journal adds no commit for it. A step whose transaction rolls back leaves no record and
     * is not compensated: the database undid it (reported {@code undone by transaction}). Steps it calls on the
     * same thread inside that transaction are recorded in it too; one it calls that would leave the transaction
     * ({@code REQUIRES_NEW}, {@code NOT_SUPPORTED}) is refused.
     *
     * <p>Only where the claim is true: a {@code @Transactional} method that also calls an HTTP service would lose
     * that call's compensation if the JVM died before the commit. A step declared so whose transaction is not on
     * the journal's {@code DataSource} (another database, none, an asynchronous action) is recorded
     * {@link #WRITE_AHEAD}, with one WARN naming the action; one that joins a transaction it did not start is
     * recorded as any joined step (its end in that transaction).
     */
    IN_TRANSACTION
}
