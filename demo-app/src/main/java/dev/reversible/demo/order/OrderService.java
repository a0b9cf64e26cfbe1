package dev.reversible.demo.order;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.reversible.core.CompensationFailedException;
import dev.reversible.demo.account.AccountService;
import dev.reversible.demo.compensation.CompensationEntry;
import dev.reversible.demo.compensation.CompensationLog;
import dev.reversible.demo.compensation.CompensationOutcome;
import dev.reversible.demo.inventory.InventoryService;

import org.springframework.stereotype.Service;

/**
 * Places orders: checks the request against the data before any saga starts (an unknown customer or
 * product is bad input, not a rollback), runs {@link OrderSaga} — whose first step writes the order
 * {@link OrderStatus#PENDING} and whose last confirms it — and, when the saga failed, reports what its
 * rollback did.
 *
 * <pre>{@code
 * PlacedOrder placed = orders.placeOrder(new NewOrder("alice", "BOOK-1", 2, "DE"));   // CONFIRMED, 25.00
 * orders.placeOrder(new NewOrder("alice", "BOOK-1", 2, "AQ"));                         // OrderFailedException
 * }</pre>
 */
@Service
public class OrderService {

    private final OrderRepository orders;
    private final OrderSaga saga;
    private final InventoryService inventory;
    private final AccountService accounts;
    private final CompensationLog compensations;

    OrderService(OrderRepository orders, OrderSaga saga, InventoryService inventory, AccountService accounts, CompensationLog compensations) {
        this.orders = orders;
        this.saga = saga;
        this.inventory = inventory;
        this.accounts = accounts;
        this.compensations = compensations;
    }

    /**
     * @param order a request whose fields are present and well-formed
     * @return the confirmed order
     * @throws InvalidOrderException when the customer or the product is unknown; nothing is written
     * @throws OrderFailedException when the saga failed after it wrote the order; the order is then
     *     {@link OrderStatus#CANCELLED}, or {@link OrderStatus#COMPENSATION_FAILED} when its rollback was incomplete
     *     (or still {@link OrderStatus#PENDING} when the journal finishes the rollback in the background)
     * @throws RuntimeException what the saga threw, as it is, when it failed before the order was written (the
     *     journal could not record the saga's start, say) or the order cannot be read back
     */
    public PlacedOrder placeOrder(NewOrder order) {
        if (accounts.find(order.customer()).isEmpty()) {
            throw new InvalidOrderException("customer", "Unknown customer '" + order.customer() + "'");
        }
        if (inventory.find(order.sku()).isEmpty()) {
            throw new InvalidOrderException("sku", "Unknown SKU '" + order.sku() + "'");
        }
        String reference = UUID.randomUUID().toString();
        try {
            return saga.placeOrder(reference, order);
        } catch (RuntimeException failure) {
            throw failed(reference, failure);
        }
    }

    /**
     * The order's outcome as the rollback left it. The saga's own compensation cancelled the order; only an
     * incomplete rollback is marked here, after the saga — a crash before that mark loses nothing, the journal holds
     * the saga {@code STUCK} and its retry cancels the order.
     */
    private RuntimeException failed(String reference, RuntimeException failure) {
        try {
            Optional<Long> created = orders.findIdByReference(reference);
            if (created.isEmpty()) {
                return failure;
            }
            long orderId = created.get();
            if (failure instanceof CompensationFailedException) {
                orders.markCompensationFailed(orderId);
            }
            OrderStatus status = orders.find(orderId).orElseThrow().status();
            List<CompensationEntry> entries = compensations.forOrder(orderId);
            return new OrderFailedException(orderId, status, OrderSaga.NAME, sagaId(entries), failedStep(entries), compensatedSteps(entries),
                    failure);
        } catch (RuntimeException unreadable) {
            // The saga's failure is the answer; the database failing under the report is attached to it.
            failure.addSuppressed(unreadable);
            return failure;
        }
    }

    /**
     * @param orderId an order's id
     * @return the order with what its rollback did, if it exists
     */
    public Optional<Order> find(long orderId) {
        return orders.find(orderId).map(row -> {
            List<CompensationEntry> entries = compensations.forOrder(orderId);
            return new Order(row.orderId(), row.customer(), row.sku(), row.quantity(), row.country(), row.status(), row.amount(),
                    failedStep(entries), compensatedSteps(entries));
        });
    }

    private static String sagaId(List<CompensationEntry> entries) {
        return entries.isEmpty() ? null : entries.get(0).sagaId();
    }

    /** The failing step's handler is the one that found its own step failed. */
    private static String failedStep(List<CompensationEntry> entries) {
        return entries.stream().filter(e -> e.outcome() == CompensationOutcome.STEP_FAILED).map(CompensationEntry::step).findFirst().orElse(null);
    }

    private static List<String> compensatedSteps(List<CompensationEntry> entries) {
        return entries.stream().filter(e -> e.outcome() == CompensationOutcome.UNDONE).map(CompensationEntry::step).toList();
    }
}
