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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The order saga through the real {@link OrderService}, with the test kit: each step failed in turn (and the
 * body after the last one) leaves stock, balances and shipments as they were; each compensation failed in
 * turn reaches the caller as a {@link CompensationFailedException} under the {@link OrderFailedException}. With the
 * refund broken on purpose (the chaos switch), the same one line finds it and says which runs it broke.
 */
// With the durable journal, a saga whose compensation the kit made fail goes STUCK at once, instead of being retried
// for real in the background while a later test runs.
// tag::example[]
@SpringBootTest(properties = "reversible.jdbc.retry.max-attempts=0")
@AutoConfigureReversibleTest
class OrderSagaCompensationTests {
// end::example[]

    private static final String NL = System.lineSeparator();
    // tag::example[]

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
        assertThat(verification.steps()).containsExactly("createOrder", "reserveStock", "chargeAccount", "bookShipment", "confirmOrder");
        assertThat(verification.runs()).hasSize(12);
        assertThat(verification.problems()).isEmpty();
    }

    @Test
    void refusedShipmentIsCompensatedInReverseOrder() {
        assertThatThrownBy(() -> orders.placeOrder(new NewOrder("alice", "BOOK-1", 2, "AQ"))).isInstanceOf(OrderFailedException.class)
                .hasCauseInstanceOf(ShipmentRefusedException.class);

        SagaAssertions.assertThat(recorder.lastSaga()).wasCompensated().failedAt("bookShipment")
                .stepsInOrder("createOrder", "reserveStock", "chargeAccount", "bookShipment")
                .compensatedInOrder("bookShipment", "chargeAccount", "reserveStock", "createOrder").hasNothingPending();
    }

    @Test
    void refundFailingOnItsOnlyAttemptLeavesTheChargeAndTheReservationPending() {
        injector.failCompensation("chargeAccount", new IllegalStateException("bank unavailable"), 1);

        assertThatThrownBy(() -> orders.placeOrder(new NewOrder("alice", "BOOK-1", 1, "AQ"))).isInstanceOf(OrderFailedException.class)
                .hasCauseInstanceOf(CompensationFailedException.class);

        SagaAssertions.assertThat(recorder.lastSaga()).hadCompensationFailure().compensationsFailed("chargeAccount")
                .hasPending("chargeAccount", "reserveStock", "createOrder").compensationOf("chargeAccount").tookAttempts(1);
    }

    // end::example[]
    /** The refund broken on purpose: {@code forEachStep} must find it, and say where. */
    @Nested
    @TestPropertySource(properties = "demo.chaos.fail-refund=true")
    class WithTheRefundBrokenByTheChaosSwitch {

        /** Each run that the broken refund leaves charged keeps 12.50: enough money that every run reaches its step. */
        @BeforeEach
        void aliceCanPayForEveryRun() {
            jdbc.sql("UPDATE accounts SET balance = 1000.00 WHERE customer = 'alice'").update();
        }

        @Test
        void everyRunWhoseRollbackMeetsAChargeToRefundFindsTheBrokenRefund() {
            assertThatThrownBy(() -> verifier.forEachStep(() -> orders.placeOrder(new NewOrder("alice", "BOOK-1", 1, "DE")),
                    OrderSagaCompensationTests.this::stockBalancesAndBookedShipments))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageStartingWith("Saga placeOrder: 3 of 12 runs found a problem" + NL
                            + "Saga placeOrder with steps [createOrder, reserveStock, chargeAccount, bookShipment, confirmOrder]:" + NL
                            + "  PASSED  learning run without failures: completed" + NL
                            + "  PASSED  failing at step 1 'createOrder' (an injected failure replaces its forwards)" + NL
                            + "  PASSED  failing at step 2 'reserveStock' (an injected failure replaces its forwards)" + NL
                            + "  PASSED  failing at step 3 'chargeAccount' (an injected failure replaces its forwards)" + NL
                            + "  FAILED  failing at step 4 'bookShipment' (an injected failure replaces its forwards)" + NL
                            + "    the saga ended COMPENSATION_FAILED instead of COMPENSATED: failed compensations [chargeAccount FAILED after "
                            + "1 attempt(s) with dev.reversible.demo.account.RefundFailedException: Refund of 12.50 to alice for order ")
                    .hasMessageContaining("    the rollback left the state changed:" + NL
                            + "      state.stock.BOOK-1: 9 before, 8 after" + NL
                            + "      state.balances.alice: 987.50 before, 975.00 after" + NL)
                    .hasMessageContaining("  FAILED  failing at step 5 'confirmOrder' (an injected failure replaces its forwards)" + NL)
                    .hasMessageContaining("  FAILED  failing after the last step (the body of placeOrder throws instead of returning)" + NL)
                    .hasMessageContaining("  PASSED  the compensation of 'confirmOrder' failing on every attempt, the saga failing after its "
                            + "last step")
                    .hasMessageContaining("  SKIPPED  the compensation of 'reserveStock' failing on every attempt, the saga failing after its "
                            + "last step" + NL + "    the rollback stopped before it reached 'reserveStock': the compensation of [chargeAccount] "
                            + "failed first (under ABORT the rest stays pending)");
        }
    }

    // tag::example[]
    /**
     * What the saga changes: units in stock, balances, shipments still booked (a cancelled one stays as a row), and
     * confirmed orders (a rolled-back order stays as a row, cancelled).
     */
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
        state.put("confirmed orders", jdbc.sql("SELECT id FROM orders WHERE status = 'CONFIRMED' ORDER BY id").query(Long.class).list());
        return state;
    }
}
// end::example[]
