package dev.reversible.demo;

import dev.reversible.demo.account.RefundFailedException;
import dev.reversible.demo.order.NewOrder;
import dev.reversible.demo.order.OrderFailedException;
import dev.reversible.demo.order.OrderService;
import dev.reversible.demo.shipping.ShipmentRefusedException;
import dev.reversible.test.AutoConfigureReversibleTest;
import dev.reversible.test.FailureInjector;
import dev.reversible.test.JournalEntry;
import dev.reversible.test.SagaAssertions;
import dev.reversible.test.SagaRecorder;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A refund that fails on every attempt, with the test kit and the durable journal: the order's saga ends
 * {@code STUCK} in the journal, the charge and the reservation pending, waiting for an operator. This is the
 * example of "Stuck sagas, with the journal" in docs/testing.md, copied from the tagged region below.
 */
// max-attempts=0: no persistent retry, so a saga whose compensation fails is STUCK as soon as its rollback ends (the
// demo's reversible.jdbc.retry.non-retryable would do it for a RefundFailedException alone).
// tag::refundOutage[]
@SpringBootTest(properties = "reversible.jdbc.retry.max-attempts=0")
@AutoConfigureReversibleTest
class RefundOutageTests {

    @Autowired
    FailureInjector injector;

    @Autowired
    SagaRecorder recorder;

    @Autowired
    OrderService orders;

    @Test
    void refundFailingOnEveryAttemptLeavesTheOrderStuck() {
        injector.failAction("bookShipment", new ShipmentRefusedException("AQ"));
        injector.failCompensation("chargeAccount", new RefundFailedException("bank down"));   // every attempt

        assertThatThrownBy(() -> orders.placeOrder(new NewOrder("alice", "BOOK-1", 2, "DE"))).isInstanceOf(OrderFailedException.class);

        SagaAssertions.assertThat(recorder.lastSaga())
                .hadCompensationFailure().hasPending("chargeAccount", "reserveStock", "createOrder")
                .isStuck();
        assertThat(recorder.lastSaga().journalEntry()).contains(new JournalEntry("STUCK", 1, null, "bookShipment",
                "dev.reversible.demo.account.RefundFailedException: bank down"));
    }
}
// end::refundOutage[]
