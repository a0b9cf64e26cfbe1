package dev.reversible.demo;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import dev.reversible.core.CompensationFailedException;
import dev.reversible.demo.order.NewOrder;
import dev.reversible.demo.order.OrderFailedException;
import dev.reversible.demo.order.OrderService;
import dev.reversible.demo.shipping.ShipmentRefusedException;
import dev.reversible.test.AutoConfigureReversibleTest;
import dev.reversible.test.FailureInjector;
import dev.reversible.test.SagaAssertions;
import dev.reversible.test.SagaRecorder;
import dev.reversible.test.SagaVerification;
import dev.reversible.test.SagaVerifier;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The order saga through the real {@link OrderService}, with the test kit: each step failed in turn (and the
 * body after the last one) leaves stock, balances and shipments as they were; each compensation failed in
 * turn reaches the caller as a {@link CompensationFailedException} under the {@link OrderFailedException}.
 */
@SpringBootTest
@AutoConfigureReversibleTest
class OrderSagaCompensationTests {

    @Autowired
    SagaVerifier verifier;

    @Autowired
    SagaRecorder recorder;

    @Autowired
    FailureInjector injector;

    @Autowired
    OrderService orders;

    @Autowired
    JdbcClient jdbc;

    @Test
    void everyStepOfPlaceOrderIsUndoneAndEveryFailedCompensationReachesTheCaller() {
        SagaVerification verification = verifier.forEachStep(() -> orders.placeOrder(new NewOrder("alice", "BOOK-1", 1, "DE")),
                this::stockBalancesAndBookedShipments);

        assertThat(verification.saga()).isEqualTo("placeOrder");
        assertThat(verification.steps()).containsExactly("reserveStock", "chargeAccount", "bookShipment");
        assertThat(verification.runs()).hasSize(8);
        assertThat(verification.problems()).isEmpty();
    }

    @Test
    void refusedShipmentIsCompensatedInReverseOrder() {
        assertThatThrownBy(() -> orders.placeOrder(new NewOrder("alice", "BOOK-1", 2, "AQ"))).isInstanceOf(OrderFailedException.class)
                .hasCauseInstanceOf(ShipmentRefusedException.class);

        SagaAssertions.assertThat(recorder.lastSaga()).wasCompensated().failedAt("bookShipment")
                .stepsInOrder("reserveStock", "chargeAccount", "bookShipment")
                .compensatedInOrder("bookShipment", "chargeAccount", "reserveStock").hasNothingPending();
    }

    @Test
    void refundFailingOnItsOnlyAttemptLeavesTheChargeAndTheReservationPending() {
        injector.failCompensation("chargeAccount", new IllegalStateException("bank unavailable"), 1);

        assertThatThrownBy(() -> orders.placeOrder(new NewOrder("alice", "BOOK-1", 1, "AQ"))).isInstanceOf(OrderFailedException.class)
                .hasCauseInstanceOf(CompensationFailedException.class);

        SagaAssertions.assertThat(recorder.lastSaga()).hadCompensationFailure().compensationsFailed("chargeAccount")
                .hasPending("chargeAccount", "reserveStock").compensationOf("chargeAccount").tookAttempts(1);
    }

    /** What the saga changes: units in stock, balances, and shipments still booked (a cancelled one stays as a row). */
    private Map<String, Object> stockBalancesAndBookedShipments() {
        Map<String, Object> state = new LinkedHashMap<>();
        Map<String, Integer> stock = new TreeMap<>();
        jdbc.sql("SELECT sku, stock FROM inventory").query(rs -> {
            stock.put(rs.getString(1), rs.getInt(2));
        });
        Map<String, BigDecimal> balances = new TreeMap<>();
        jdbc.sql("SELECT customer, balance FROM accounts").query(rs -> {
            balances.put(rs.getString(1), rs.getBigDecimal(2));
        });
        state.put("stock", stock);
        state.put("balances", balances);
        state.put("booked shipments", jdbc.sql("SELECT order_id FROM shipments WHERE status = 'BOOKED' ORDER BY order_id").query(Long.class).list());
        return state;
    }
}
