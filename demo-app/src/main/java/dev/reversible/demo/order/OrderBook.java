package dev.reversible.demo.order;

import java.math.BigDecimal;
import java.util.Optional;

import dev.reversible.demo.compensation.CompensationLog;
import dev.reversible.demo.compensation.CompensationOutcome;
import dev.reversible.spring.CompensationContext;
import dev.reversible.spring.annotation.Compensate;
import dev.reversible.spring.annotation.ReversibleAction;
import dev.reversible.spring.annotation.StepRecord;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The order's own record as two steps of the saga: {@code createOrder} (the first step: the order
 * {@link OrderStatus#PENDING}, compensated by {@code cancelOrder}: {@link OrderStatus#CANCELLED}) and
 * {@code confirmOrder} (the last step: {@link OrderStatus#CONFIRMED} with the amount charged, compensated by
 * {@code withdrawConfirmation}: {@link OrderStatus#PENDING} again, until {@code cancelOrder} runs).
 *
 * <p>Steps, not writes around the saga: what runs before a saga starts or after it returns is not in the journal,
 * so a crash there is never recovered — an order written before the saga would stay {@code PENDING} forever if its
 * instance died before the first step, and one confirmed after the saga would stay {@code PENDING} with its stock
 * and money taken if the instance died between the saga's end and the confirmation. As steps, the order ends
 * {@code CONFIRMED} exactly when the saga completes, and {@code CANCELLED} when it is rolled back — live, retried in
 * the background or recovered after a crash.
 *
 * <pre>{@code
 * long orderId = book.createOrder(reference, order);   // PENDING
 * ...                                                   // stock, money, shipment
 * book.confirmOrder(orderId, amount);                   // CONFIRMED
 * }</pre>
 */
@Service
public class OrderBook {

    private static final Logger LOG = LoggerFactory.getLogger(OrderBook.class);

    private final OrderRepository orders;
    private final CompensationLog compensations;

    OrderBook(OrderRepository orders, CompensationLog compensations) {
        this.orders = orders;
        this.compensations = compensations;
    }

    /**
     * Writes the order {@link OrderStatus#PENDING}.
     * @param reference the placement's unique reference, chosen before the saga: the handler finds the order by it
     *     even when the step's outcome is unknown (a crash before its result was journaled), and the caller finds
     *     the order of a saga that failed
     * @param order what is ordered
     * @return the new order's id
     */
    @ReversibleAction(value = "createOrder", record = StepRecord.IN_TRANSACTION)
    @Transactional
    public long createOrder(String reference, NewOrder order) {
        long orderId = orders.insertPending(reference, order);
        LOG.info("Created order {} for {}: {} x {} to {}", orderId, order.customer(), order.quantity(), order.sku(), order.country());
        return orderId;
    }

    /**
     * Cancels the order the database shows for the reference — whatever the step's outcome looked like to the saga.
     * Runs last in a rollback, once everything the later steps did is undone. Nothing to cancel when the insert never
     * committed (and then no row to record the compensation against: the order does not exist).
     * @param reference the placement's reference
     * @param order what was ordered
     * @param orderId the order's id, or {@code null} when the step failed or its outcome is unknown
     * @param context the compensation's context: the idempotency key (saga id, step index)
     */
    @Compensate("createOrder")
    @Transactional
    public void cancelOrder(String reference, NewOrder order, Long orderId, CompensationContext context) {
        Optional<Long> created = orders.findIdByReference(reference);
        if (created.isEmpty() || compensations.isRecorded(created.get(), context)) {
            return;
        }
        long id = created.get();
        orders.cancel(id);
        compensations.record(id, context, CompensationOutcome.UNDONE);
        LOG.info("Cancelled order {}", id);
    }

    /**
     * Confirms the order: the saga's last step, so that an order is {@link OrderStatus#CONFIRMED} exactly when
     * every other step is done.
     * @param orderId the order
     * @param amount what the customer was charged
     * @throws IllegalStateException when the order is not {@link OrderStatus#PENDING} (a bug: only this saga writes it)
     */
    @ReversibleAction(value = "confirmOrder", record = StepRecord.IN_TRANSACTION)
    @Transactional
    public void confirmOrder(long orderId, BigDecimal amount) {
        if (!orders.confirm(orderId, amount)) {
            throw new IllegalStateException("Order " + orderId + " is not PENDING: it cannot be confirmed");
        }
        LOG.info("Confirmed order {}: {} charged", orderId, amount.toPlainString());
    }

    /**
     * Takes the confirmation back ({@link OrderStatus#PENDING}, no amount) when the saga is rolled back after it:
     * the body failed after its last step, or the instance died before the saga's end was journaled.
     * {@code cancelOrder} then cancels the order.
     * @param orderId the order
     * @param amount what was charged
     * @param context the compensation's context: the idempotency key (saga id, step index)
     */
    @Compensate("confirmOrder")
    @Transactional
    public void withdrawConfirmation(long orderId, BigDecimal amount, CompensationContext context) {
        if (compensations.isRecorded(orderId, context)) {
            return;
        }
        if (!orders.withdrawConfirmation(orderId)) {
            // The confirmation failed, or never committed: nothing to withdraw.
            compensations.record(orderId, context, CompensationOutcome.STEP_FAILED);
            return;
        }
        compensations.record(orderId, context, CompensationOutcome.UNDONE);
        LOG.info("Withdrew the confirmation of order {}", orderId);
    }
}
