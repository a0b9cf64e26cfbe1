package dev.reversible.demo;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.reversible.demo.RunningDemo.Reply;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator's side of a stuck saga, over HTTP, as the demo's walk-through (demo-app/README.md, section 9) shows it: orders placed while the
 * refund is broken ({@code demo.chaos.fail-refund=true}) are {@code STUCK} at once (the demo lists
 * {@code RefundFailedException} in {@code reversible.jdbc.retry.non-retryable}), on {@code /actuator/sagas} and in
 * health; after a restart without the switch, on the same H2 file, one is retried to {@code COMPENSATED} and the
 * other resolved by hand.
 */
class StuckSagaOperatorTests {

    private static final String REFUND_FAILED = "dev.reversible.demo.account.RefundFailedException";

    @TempDir
    Path directory;

    /** The demo's own URL options, on a file of this test's own. */
    private String url() {
        return "jdbc:h2:file:" + directory.resolve("reversible-demo").toAbsolutePath() + ";WRITE_DELAY=0;LOCK_TIMEOUT=10000";
    }

    @Test
    void stuckOrderIsListedWithItsFailedRefundAndRetriedOrResolvedAfterARestart() {
        String refundedSaga;
        String resolvedSaga;
        try (RunningDemo demo = RunningDemo.start(url(), "--demo.chaos.fail-refund=true")) {
            Reply first = demo.postOrder("alice", "BOOK-1", 2, "AQ");
            assertThat(first.status()).isEqualTo(500);
            refundedSaga = first.text("sagaId");

            Reply stuck = demo.get("/actuator/sagas?status=STUCK");
            assertThat(stuck.status()).isEqualTo(200);
            assertThat(ids(stuck.body().get("sagas"))).containsExactly(refundedSaga);
            JsonNode saga = stuck.body().get("sagas").get(0);
            assertThat(saga.get("name").stringValue()).isEqualTo("placeOrder");
            assertThat(saga.get("status").stringValue()).isEqualTo("STUCK");
            assertThat(saga.get("failedStep").stringValue()).isEqualTo("bookShipment");
            assertThat(saga.get("recovered").booleanValue()).isFalse();
            assertThat(saga.get("note").isNull()).isTrue();
            assertThat(saga.get("lastError").get("class").stringValue()).isEqualTo(REFUND_FAILED);
            // The demo shows messages (management.endpoint.sagas.show-values=always): the refund's own words.
            assertThat(saga.get("lastError").get("message").stringValue())
                    .isEqualTo("Refund of 25.00 to alice for order 1 refused: demo.chaos.fail-refund is on");
            assertThat(steps(saga)).containsExactly("0 createOrder COMPLETED 0", "1 reserveStock COMPLETED 0",
                    "2 chargeAccount COMPENSATION_FAILED 1", "3 bookShipment COMPENSATED 1");
            assertThat(saga.get("steps").get(2).get("lastError").get("class").stringValue()).isEqualTo(REFUND_FAILED);
            assertThat(saga.get("steps").get(3).get("lastError").get("class").stringValue())
                    .isEqualTo("dev.reversible.demo.shipping.ShipmentRefusedException");
            // Never an argument or a result: without the exception messages, neither the customer, the amount nor the
            // SKU that went into the steps appears anywhere in the saga, and a step has no field that could hold one.
            assertThat(withoutMessages(saga).toString()).doesNotContain("alice", "25.00", "BOOK-1");
            assertThat(saga.get("steps").get(2).propertyNames()).containsExactly("index", "parent", "action", "status", "attempts", "lastError",
                    "startedAt", "endedAt", "compensations");
            JsonNode refund = saga.get("steps").get(2).get("compensations").get(0);
            assertThat(refund.get("attempt").intValue()).isEqualTo(1);
            assertThat(refund.get("outcome").stringValue()).isEqualTo("failed");
            assertThat(refund.get("error").get("class").stringValue()).isEqualTo(REFUND_FAILED);
            assertThat(saga.get("steps").get(2).get("compensations")).hasSize(1);

            JsonNode health = demo.get("/actuator/health").body().get("components").get("reversible");
            assertThat(health.get("status").stringValue()).isEqualTo("UP");
            assertThat(health.get("details").get("stuck").intValue()).isEqualTo(1);
            assertThat(health.get("details").get("journal").stringValue()).isEqualTo("reachable");

            Reply second = demo.postOrder("bob", "BOOK-1", 1, "AQ");
            assertThat(second.status()).isEqualTo(500);
            resolvedSaga = second.text("sagaId");
            assertThat(ids(demo.get("/actuator/sagas?status=STUCK").body().get("sagas"))).containsExactly(resolvedSaga, refundedSaga);
            assertThat(demo.stock("BOOK-1")).isEqualTo(7);
            assertThat(demo.balance("alice")).isEqualTo(new BigDecimal("75.00"));
            assertThat(demo.balance("bob")).isEqualTo(new BigDecimal("7.50"));
        }

        try (RunningDemo demo = RunningDemo.start(url())) {
            // Recovery leaves stuck sagas alone: both still wait for the operator.
            assertThat(demo.get("/actuator/health").body().get("components").get("reversible").get("details").get("stuck").intValue()).isEqualTo(2);

            Reply retried = demo.post("/actuator/sagas/" + refundedSaga + "/retry", "");
            assertThat(retried.status()).isEqualTo(200);
            assertThat(retried.text("status")).isEqualTo("COMPENSATED");
            assertThat(steps(retried.body())).containsExactly("0 createOrder COMPENSATED 1", "1 reserveStock COMPENSATED 1",
                    "2 chargeAccount COMPENSATED 2", "3 bookShipment COMPENSATED 1");
            assertThat(demo.balance("alice")).isEqualTo(new BigDecimal("100.00"));
            assertThat(demo.stock("BOOK-1")).isEqualTo(9);
            assertThat(demo.get("/orders/1").text("status")).isEqualTo("CANCELLED");

            Reply resolved = demo.post("/actuator/sagas/" + resolvedSaga + "/resolve", "{\"note\":\"refunded by hand, ticket 4711\"}");
            assertThat(resolved.status()).isEqualTo(200);
            assertThat(resolved.text("status")).isEqualTo("RESOLVED");
            assertThat(resolved.text("note")).isEqualTo("refunded by hand, ticket 4711");
            Reply again = demo.post("/actuator/sagas/" + resolvedSaga + "/resolve", "{\"note\":\"twice\"}");
            assertThat(again.status()).isEqualTo(409);
            assertThat(again.text("status")).isEqualTo("RESOLVED");
            assertThat(demo.get("/actuator/sagas/" + resolvedSaga).text("note")).isEqualTo("refunded by hand, ticket 4711");

            // Resolving runs nothing: bob's charge and his reserved book stay, the order as the rollback left it.
            assertThat(demo.balance("bob")).isEqualTo(new BigDecimal("7.50"));
            assertThat(demo.stock("BOOK-1")).isEqualTo(9);
            assertThat(demo.get("/orders/2").text("status")).isEqualTo("COMPENSATION_FAILED");
            assertThat(demo.get("/actuator/sagas?status=STUCK").body().get("sagas").size()).isZero();
            assertThat(demo.get("/actuator/health").body().get("components").get("reversible").get("details").get("stuck").intValue()).isZero();
        }
    }

    private static List<String> ids(JsonNode sagas) {
        List<String> ids = new ArrayList<>();
        sagas.forEach(saga -> ids.add(saga.get("id").stringValue()));
        return ids;
    }

    /** Each step as "index action status attempts". */
    private static List<String> steps(JsonNode saga) {
        List<String> steps = new ArrayList<>();
        saga.get("steps").forEach(step -> steps.add(step.get("index").intValue() + " " + step.get("action").stringValue() + " "
                + step.get("status").stringValue() + " " + step.get("attempts").intValue()));
        return steps;
    }

    /**
     * The saga with every {@code lastError.message} and compensation {@code error.message} removed, and its
     * timestamps too: an instant such as {@code 01:03:25.001Z} would otherwise "contain" an amount like 25.00.
     */
    private static JsonNode withoutMessages(JsonNode saga) {
        ObjectNode copy = (ObjectNode) saga.deepCopy();
        removeMessage(copy.get("lastError"));
        copy.remove(List.of("startedAt", "updatedAt"));
        copy.get("steps").forEach(step -> {
            removeMessage(step.get("lastError"));
            ((ObjectNode) step).remove(List.of("startedAt", "endedAt"));
            step.get("compensations").forEach(attempt -> {
                removeMessage(attempt.get("error"));
                ((ObjectNode) attempt).remove(List.of("startedAt", "endedAt"));
            });
        });
        return copy;
    }

    private static void removeMessage(JsonNode lastError) {
        if (lastError instanceof ObjectNode error) {
            error.remove("message");
        }
    }
}
