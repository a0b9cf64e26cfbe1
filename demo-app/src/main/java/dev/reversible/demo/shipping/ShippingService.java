package dev.reversible.demo.shipping;

import java.util.Set;
import java.util.concurrent.CompletableFuture;

import dev.reversible.demo.compensation.CompensationLog;
import dev.reversible.demo.compensation.CompensationOutcome;
import dev.reversible.spring.CompensationContext;
import dev.reversible.spring.annotation.Compensate;
import dev.reversible.spring.annotation.ReversibleAction;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Async;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Shipments: the saga's last step, {@code bookShipment}, and its compensation, {@code cancelShipment}.
 * Booking with the carrier is a remote call, so it runs asynchronously ({@code @Async}, on the
 * application's task executor, whose tasks carry the saga's context): the step takes its place in the saga
 * when it is called and ends when its future does. The carrier delivers everywhere except Antarctica
 * ({@code AQ}), so that a newcomer can make the last step fail at will.
 *
 * <pre>{@code
 * String trackingNumber = shipping.bookShipment(orderId, "DE").join();   // "TRK-000001"
 * shipping.bookShipment(orderId, "AQ");                                   // fails with ShipmentRefusedException
 * }</pre>
 */
@Service
public class ShippingService {

    private static final Logger LOG = LoggerFactory.getLogger(ShippingService.class);

    private static final Set<String> REFUSED_COUNTRIES = Set.of("AQ");

    private final JdbcClient jdbc;
    private final CompensationLog compensations;

    ShippingService(JdbcClient jdbc, CompensationLog compensations) {
        this.jdbc = jdbc;
        this.compensations = compensations;
    }

    /**
     * Books a shipment of the order with the carrier.
     * @param orderId the order to ship
     * @param country where to
     * @return the tracking number, when the carrier has booked it; failed with {@link ShipmentRefusedException}
     *     when the carrier does not deliver there (nothing is then booked)
     */
    // tag::bookShipment[]
    @Async
    @ReversibleAction("bookShipment")
    public CompletableFuture<String> bookShipment(long orderId, String country) {
        if (REFUSED_COUNTRIES.contains(country)) {
            LOG.info("The carrier refused order {} to {}", orderId, country);
            return CompletableFuture.failedFuture(new ShipmentRefusedException(country));
        }
        String trackingNumber = String.format("TRK-%06d", orderId);
        jdbc.sql("INSERT INTO shipments (order_id, country, tracking_number, status) VALUES (:orderId, :country, :trackingNumber, 'BOOKED')")
                .param("orderId", orderId)
                .param("country", country)
                .param("trackingNumber", trackingNumber)
                .update();
        LOG.info("Booked shipment {} of order {} to {}", trackingNumber, orderId, country);
        return CompletableFuture.completedFuture(trackingNumber);
    }
    // end::bookShipment[]

    /**
     * Cancels the shipment the database shows booked for the order — whatever the step's outcome looked like
     * to the saga: after a crash it may be unknown ({@code context.failure()} set, {@code trackingNumber}
     * null) although the booking committed. A refused booking left nothing to cancel. Idempotent: the
     * shipment is cancelled once (a conditional update), and the handler's record in
     * {@code order_compensations} (key: order id + step index) makes a second attempt return at once.
     * @param orderId the order
     * @param country where it was going
     * @param trackingNumber the value of the future {@code bookShipment} returned ({@code null} when it failed or is unknown)
     * @param context the compensation's context: the idempotency key (saga id, step index)
     */
    @Compensate("bookShipment")
    @Transactional
    public void cancelShipment(long orderId, String country, String trackingNumber, CompensationContext context) {
        if (compensations.isRecorded(orderId, context)) {
            return;
        }
        int cancelled = jdbc.sql("UPDATE shipments SET status = 'CANCELLED' WHERE order_id = :orderId AND status = 'BOOKED'")
                .param("orderId", orderId)
                .update();
        if (cancelled == 0) {
            // The carrier refused, or the booking never committed: nothing to cancel.
            compensations.record(orderId, context, CompensationOutcome.STEP_FAILED);
            return;
        }
        compensations.record(orderId, context, CompensationOutcome.UNDONE);
        LOG.info("Cancelled the shipment of order {}", orderId);
    }
}
