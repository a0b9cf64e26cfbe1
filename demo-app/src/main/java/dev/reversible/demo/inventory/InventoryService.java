package dev.reversible.demo.inventory;

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
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Stock: the saga's first step, {@code reserveStock}, and its compensation, {@code releaseStock}.
 *
 * <pre>{@code
 * Reservation reservation = inventory.reserveStock(orderId, "BOOK-1", 2);   // stock 10 -> 8
 * // a later step fails: the saga calls releaseStock(orderId, "BOOK-1", 2, ...)  // stock 8 -> 10
 * }</pre>
 */
@Service
public class InventoryService {

    private static final Logger LOG = LoggerFactory.getLogger(InventoryService.class);

    private final JdbcClient jdbc;
    private final CompensationLog compensations;

    InventoryService(JdbcClient jdbc, CompensationLog compensations) {
        this.jdbc = jdbc;
        this.compensations = compensations;
    }

    /**
     * @param sku a product id
     * @return the product's stock and price, if it exists
     */
    public Optional<InventoryItem> find(String sku) {
        return jdbc.sql("SELECT sku, stock, price FROM inventory WHERE sku = :sku")
                .param("sku", sku)
                .query(InventoryItem.class)
                .optional();
    }

    /**
     * Takes {@code quantity} units out of stock for an order, in one conditional update, so that
     * concurrent orders can never take the stock below zero; records the reservation in the same transaction,
     * so that the database alone tells whether it happened.
     * @param orderId the order the units are for
     * @param sku the product
     * @param quantity how many units
     * @return the reservation, with the unit price it was taken at
     * <p>Its record is written in its transaction ({@code StepRecord.IN_TRANSACTION}): all its work is there. A
     * refusal changed nothing, so it commits that nothing — with the step's {@code FAILED} record, so that the
     * step's own handler runs and reports the refusal; any other failure rolls the step and its record back.
     * @throws InsufficientStockException when fewer units are in stock; nothing is then changed
     */
    // tag::reserveStock[]
    @ReversibleAction(value = "reserveStock", record = StepRecord.IN_TRANSACTION)
    @Transactional(noRollbackFor = InsufficientStockException.class)
    public Reservation reserveStock(long orderId, String sku, int quantity) {
        int reserved = jdbc.sql("UPDATE inventory SET stock = stock - :quantity WHERE sku = :sku AND stock >= :quantity")
                .param("quantity", quantity)
                .param("sku", sku)
                .update();
        if (reserved == 0) {
            throw new InsufficientStockException(sku, quantity, find(sku).map(InventoryItem::stock).orElse(0));
        }
        jdbc.sql("INSERT INTO stock_reservations (order_id, sku, quantity, status) VALUES (:orderId, :sku, :quantity, 'RESERVED')")
                .param("orderId", orderId)
                .param("sku", sku)
                .param("quantity", quantity)
                .update();
        BigDecimal price = jdbc.sql("SELECT price FROM inventory WHERE sku = :sku").param("sku", sku).query(BigDecimal.class).single();
        LOG.info("Reserved {} x {} for order {}", quantity, sku, orderId);
        return new Reservation(sku, quantity, price);
    }
    // end::reserveStock[]

    /**
     * Puts back what the database shows was reserved for the order — whatever the step's outcome looked like
     * to the saga: after a crash it may be unknown ({@code context.failure()} set, no result) although the
     * reservation committed. Idempotent twice over: the reservation row is released once (a conditional
     * update), and the handler's record in {@code order_compensations} (key: order id + step index) makes a
     * second attempt return at once.
     * @param orderId the order the units were for
     * @param sku the product
     * @param quantity how many units
     * @param context the compensation's context: the idempotency key (saga id, step index)
     */
    @Compensate("reserveStock")
    @Transactional
    public void releaseStock(long orderId, String sku, int quantity, CompensationContext context) {
        if (compensations.isRecorded(orderId, context)) {
            return;
        }
        int released = jdbc.sql("UPDATE stock_reservations SET status = 'RELEASED' WHERE order_id = :orderId AND status = 'RESERVED'")
                .param("orderId", orderId)
                .update();
        if (released == 0) {
            // The reservation was refused, or never committed: nothing in stock to put back.
            compensations.record(orderId, context, CompensationOutcome.STEP_FAILED);
            return;
        }
        // The reservation as it was recorded: what was taken out is what goes back.
        Reserved reservation = jdbc.sql("SELECT sku, quantity FROM stock_reservations WHERE order_id = :orderId")
                .param("orderId", orderId)
                .query(Reserved.class)
                .single();
        jdbc.sql("UPDATE inventory SET stock = stock + :quantity WHERE sku = :sku")
                .param("quantity", reservation.quantity())
                .param("sku", reservation.sku())
                .update();
        compensations.record(orderId, context, CompensationOutcome.UNDONE);
        LOG.info("Released {} x {} of order {}", reservation.quantity(), reservation.sku(), orderId);
    }

    /** A row of {@code stock_reservations}: what was taken out of stock. */
    private record Reserved(String sku, int quantity) {
    }
}
