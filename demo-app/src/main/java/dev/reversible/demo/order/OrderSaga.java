package dev.reversible.demo.order;

import java.math.BigDecimal;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import dev.reversible.demo.account.AccountService;
import dev.reversible.demo.inventory.InventoryService;
import dev.reversible.demo.inventory.Reservation;
import dev.reversible.demo.shipping.ShippingService;
import dev.reversible.spring.annotation.ReversibleSaga;

import org.springframework.stereotype.Component;

/**
 * The saga: create the order, reserve stock, charge the account, book a shipment, confirm the order — five
 * {@code @ReversibleAction} steps on four beans, the shipment asynchronous (the carrier's booking runs on the task
 * executor). When a step throws, the steps before it are compensated in reverse order (the failing step's own
 * handler runs first, and finds nothing to undo; the order's cancellation comes last) and the step's exception comes
 * out of {@link #placeOrder}.
 *
 * <p>The order's record and its outcome are steps ({@link OrderBook}), not writes around the saga: after any crash
 * the journal either finds the saga ended (the order {@code CONFIRMED}) or compensates it (the order
 * {@code CANCELLED}, its stock and money back). A bean of its own, apart from {@link OrderService}: the saga
 * boundary is a proxy.
 */
@Component
public class OrderSaga {

    /** The saga's name in metrics, logs, problem responses and on {@code /actuator/reversible}. */
    public static final String NAME = "placeOrder";

    private final OrderBook book;
    private final InventoryService inventory;
    private final AccountService accounts;
    private final ShippingService shipping;

    OrderSaga(OrderBook book, InventoryService inventory, AccountService accounts, ShippingService shipping) {
        this.book = book;
        this.inventory = inventory;
        this.accounts = accounts;
        this.shipping = shipping;
    }

    /**
     * @param reference the placement's unique reference: the order is found by it when the saga fails
     * @param order what to place
     * @return the confirmed order, with what the customer was charged
     */
    // tag::placeOrder[]
    @ReversibleSaga(NAME)
    public PlacedOrder placeOrder(String reference, NewOrder order) {
        long orderId = book.createOrder(reference, order);                    // PENDING; undone: CANCELLED
        Reservation reservation = inventory.reserveStock(orderId, order.sku(), order.quantity());
        BigDecimal amount = reservation.amount();
        accounts.chargeAccount(orderId, order.customer(), amount);
        awaitBooking(shipping.bookShipment(orderId, order.country()));
        book.confirmOrder(orderId, amount);                                   // CONFIRMED; undone: PENDING again
        return new PlacedOrder(orderId, OrderStatus.CONFIRMED, amount);
    }
    // end::placeOrder[]

    /** Waits for the carrier; its failure comes out as it is, not wrapped in a {@link CompletionException}. */
    private static String awaitBooking(CompletableFuture<String> booking) {
        try {
            return booking.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }
}
