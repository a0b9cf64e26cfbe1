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
 * The saga: reserve stock, charge the account, book a shipment — three {@code @ReversibleAction} steps
 * on three beans, the last one asynchronous (the carrier's booking runs on the task executor). When a step throws, the steps before it are compensated in reverse order (the failing
 * step's own handler runs first, and finds nothing to undo) and the step's exception comes out of
 * {@link #placeOrder}.
 *
 * <p>A bean of its own, apart from {@link OrderService}: the saga boundary is a proxy, and the order row
 * is written around the saga, not in it.
 */
@Component
public class OrderSaga {

    /** The saga's name in metrics, logs, problem responses and on {@code /actuator/reversible}. */
    public static final String NAME = "placeOrder";

    private final InventoryService inventory;
    private final AccountService accounts;
    private final ShippingService shipping;

    OrderSaga(InventoryService inventory, AccountService accounts, ShippingService shipping) {
        this.inventory = inventory;
        this.accounts = accounts;
        this.shipping = shipping;
    }

    /**
     * @param orderId the order, already written as {@link OrderStatus#PENDING}
     * @param order what to place
     * @return what the customer was charged
     */
    @ReversibleSaga(NAME)
    public BigDecimal placeOrder(long orderId, NewOrder order) {
        Reservation reservation = inventory.reserveStock(orderId, order.sku(), order.quantity());
        BigDecimal amount = reservation.amount();
        accounts.chargeAccount(orderId, order.customer(), amount);
        awaitBooking(shipping.bookShipment(orderId, order.country()));
        return amount;
    }

    /** Waits for the carrier; its failure comes out as it is, not wrapped in a {@link CompletionException}. */
    private static String awaitBooking(CompletableFuture<String> booking) {
        try {
            return booking.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }
}
