package dev.reversible.demo;

import java.math.BigDecimal;

import tools.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chaos switch {@code demo.chaos.fail-refund=true}: a refund that has money to give back fails, so the
 * rollback stops there (the default ABORT policy) and the endpoint, the log and the order all say so.
 */
@TestPropertySource(properties = "demo.chaos.fail-refund=true")
@ExtendWith(OutputCaptureExtension.class)
class ChaosRefundTests extends HttpTestSupport {

    @Test
    void failingRefundShowsAsCompensationFailedAndLeavesTheChargeAndTheReservation(CapturedOutput output) {
        Totals before = totals();
        long refundsFailedBefore = actionCount("chargeAccount", "compensationFailed");
        long sagaFailedBefore = get("/actuator/reversible/placeOrder").body().get("compensationFailed").longValue();

        Reply failed = postOrder("alice", "BOOK-1", 2, "AQ");

        assertThat(failed.status()).isEqualTo(500);
        assertThat(failed.contentType()).isEqualTo(PROBLEM_JSON);
        long orderId = failed.body().get("orderId").longValue();
        assertThat(failed.text("title")).isEqualTo("Order not fully compensated");
        assertThat(failed.text("detail")).isEqualTo("The carrier does not deliver to AQ");
        assertThat(failed.text("orderStatus")).isEqualTo("COMPENSATION_FAILED");
        assertThat(failed.text("sagaName")).isEqualTo("placeOrder");
        assertThat(failed.text("failedStep")).isEqualTo("bookShipment");
        assertThat(failed.strings("compensatedSteps")).isEmpty();
        assertThat(failed.strings("pendingSteps")).containsExactly("chargeAccount", "reserveStock", "createOrder");

        // Nothing undone past the failed refund: the two units stay reserved and the 25.00 stays charged.
        assertThat(stock("BOOK-1")).isEqualTo(8);
        assertThat(balance("alice")).isEqualTo(new BigDecimal("75.00"));
        assertThat(get("/orders/" + orderId).text("status")).isEqualTo("COMPENSATION_FAILED");

        assertThat(totals().minus(before)).isEqualTo(new Totals(1, 0, 0, 1, 0, 0));
        assertThat(actionCount("chargeAccount", "compensationFailed") - refundsFailedBefore).isEqualTo(1);
        JsonNode rollback = rollbackOf(failed.text("sagaId"));
        assertThat(strings(rollback.get("failedCompensations"))).containsExactly("chargeAccount");
        assertThat(strings(rollback.get("pending"))).containsExactly("chargeAccount", "reserveStock", "createOrder");
        assertThat(get("/actuator/reversible/placeOrder").body().get("compensationFailed").longValue() - sagaFailedBefore).isEqualTo(1);

        assertThat(output.getOut()).containsPattern("ERROR .*Compensation of step chargeAccount in saga placeOrder \\("
                + failed.text("sagaId") + "\\) failed after 1 attempt")
                .contains("RefundFailedException: Refund of 25.00 to alice for order " + orderId + " refused: demo.chaos.fail-refund is on");
    }

    @Test
    void refusedChargeNeedsNoRefundSoTheChaosSwitchCannotBreakItsRollback() {
        Totals before = totals();

        Reply refused = postOrder("bob", "LAMP-2", 1, "DE");

        assertThat(refused.status()).isEqualTo(402);
        assertThat(refused.strings("compensatedSteps")).containsExactly("reserveStock", "createOrder");
        assertSeededStockAndBalances();
        assertThat(totals().minus(before)).isEqualTo(new Totals(1, 0, 1, 0, 0, 0));
    }
}
