package dev.reversible.demo;

import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import tools.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A real crash, as the demo's walk-through (demo-app/README.md, section 11) shows it: the demo runs in a child JVM — the main class path
 * only, so exactly the demo's own configuration, its H2 file database under {@code ./data} of a temporary
 * working directory — with {@code --demo.chaos.crash-after=chargeAccount}; an order makes it halt right after
 * the charge committed. The demo started again on the same file (here, in this JVM, with a short instance
 * timeout) recovers the saga once the dead instance's heartbeat is older than that timeout on the database's
 * clock: the charge whose outcome the journal never learnt is refunded because the database shows it, the
 * stock is released, the order is {@code CANCELLED}, and the rollback is on {@code /actuator/reversible}. A crash
 * right after the order's own record (its creation, its confirmation) ends the same way.
 */
class CrashRecoveryTests {

    @TempDir
    Path workingDirectory;

    private ChildDemo child;

    @AfterEach
    void killChild() {
        if (child != null) {
            child.close();
        }
    }

    @Test
    void orderInterruptedByACrashAfterTheChargeIsCancelledWithStockAndBalanceRestoredAfterTheRestart() throws Exception {
        crashPlacingAnOrderAfter("chargeAccount");

        try (RunningDemo demo = restart()) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(demo.get("/orders/1").text("status")).isEqualTo("CANCELLED"));

            RunningDemo.Reply order = demo.get("/orders/1");
            assertThat(order.body().get("compensatedSteps").valueStream().map(JsonNode::stringValue).toList())
                    .containsExactly("chargeAccount", "reserveStock", "createOrder");
            assertThat(order.body().get("amount").isNull()).isTrue();
            assertThat(demo.stock("BOOK-1")).isEqualTo(10);
            assertThat(demo.balance("alice")).isEqualTo(new BigDecimal("100.00"));
            JdbcClient jdbc = demo.context().getBean(JdbcClient.class);
            assertThat(jdbc.sql("SELECT status FROM account_charges WHERE order_id = 1").query(String.class).single()).isEqualTo("REFUNDED");
            assertThat(jdbc.sql("SELECT status FROM stock_reservations WHERE order_id = 1").query(String.class).single()).isEqualTo("RELEASED");
            assertThat(jdbc.sql("SELECT COUNT(*) FROM shipments").query(Long.class).single()).isZero();
            // Each compensation ran once: one record per step, keyed by order and step index.
            assertThat(jdbc.sql("SELECT step || ':' || step_index || ':' || outcome FROM order_compensations WHERE order_id = 1 ORDER BY id")
                    .query(String.class).list()).containsExactly("chargeAccount:2:UNDONE", "reserveStock:1:UNDONE", "createOrder:0:UNDONE");

            JsonNode rollbacks = demo.get("/actuator/reversible").body().get("recentRollbacks");
            assertThat(rollbacks).hasSize(1);
            JsonNode rollback = rollbacks.get(0);
            assertThat(rollback.get("sagaName").stringValue()).isEqualTo("placeOrder");
            String sagaId = jdbc.sql("SELECT DISTINCT saga_id FROM order_compensations WHERE order_id = 1").query(String.class).single();
            assertThat(rollback.get("sagaId").stringValue()).isEqualTo(sagaId);
            assertThat(rollback.get("exceptionClass").stringValue()).isEqualTo("dev.reversible.spring.jdbc.SagaRecoveredException");
            assertThat(rollback.get("compensated").valueStream().map(JsonNode::stringValue).toList())
                    .containsExactly("chargeAccount", "reserveStock", "createOrder");
            assertThat(jdbc.sql("SELECT status FROM reversible_sagas WHERE id = :id").param("id", sagaId).query(String.class).single())
                    .isEqualTo("COMPENSATED");
        }
    }

    /**
     * The order's own record is the saga's first and last step: a crash right after the order was written, or right
     * after it was confirmed but before the saga's end was journaled, leaves nothing half-done — the order ends
     * {@code CANCELLED} with every unit and every cent back, never {@code PENDING}, never confirmed without its saga.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "createOrder  | createOrder",
            "confirmOrder | confirmOrder, bookShipment, chargeAccount, reserveStock, createOrder" })
    void orderInterruptedByACrashAfterItsOwnRecordWasWrittenEndsCancelledWithNothingTaken(String step, String undone) throws Exception {
        crashPlacingAnOrderAfter(step);

        try (RunningDemo demo = restart()) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(demo.get("/orders/1").text("status")).isEqualTo("CANCELLED"));

            RunningDemo.Reply order = demo.get("/orders/1");
            assertThat(order.body().get("compensatedSteps").valueStream().map(JsonNode::stringValue).toList())
                    .containsExactly(undone.split(", "));
            assertThat(order.body().get("amount").isNull()).isTrue();
            assertThat(demo.stock("BOOK-1")).isEqualTo(10);
            assertThat(demo.balance("alice")).isEqualTo(new BigDecimal("100.00"));
            JdbcClient jdbc = demo.context().getBean(JdbcClient.class);
            assertThat(jdbc.sql("SELECT COUNT(*) FROM shipments WHERE status = 'BOOKED'").query(Long.class).single()).isZero();
            assertThat(jdbc.sql("SELECT status FROM reversible_sagas").query(String.class).list()).containsExactly("COMPENSATED");
        }
    }

    /**
     * Starts the demo in a child JVM that halts right after {@code step} completes, posts alice's order of two books to
     * Germany, and waits for the halt.
     */
    private void crashPlacingAnOrderAfter(String step) throws Exception {
        child = ChildDemo.start(workingDirectory, line -> { }, "--demo.chaos.crash-after=" + step);
        List<String> output = child.output();

        HttpRequest.Builder placeOrder = HttpRequest.newBuilder(URI.create("http://localhost:" + child.port() + "/orders"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"customer\":\"alice\",\"sku\":\"BOOK-1\",\"quantity\":2,\"country\":\"DE\"}"));
        assertThatThrownBy(() -> RunningDemo.send(placeOrder))
                .as("the child answered instead of halting").isInstanceOf(UncheckedIOException.class);
        assertThat(child.awaitExit()).as("halted as kill -9 would: %s", output).isEqualTo(ChaosCrash.KILLED);
        // The reader thread may still be draining the pipe the dead child left.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(output)
                .anyMatch(line -> line.contains("demo.chaos.crash-after=" + step + ": halting the JVM now")));
    }

    /** The demo again on the child's file, in this JVM, with a short instance timeout so that recovery comes soon. */
    private RunningDemo restart() {
        return RunningDemo.start(url(), "--reversible.jdbc.heartbeat-interval=200ms", "--reversible.jdbc.instance-timeout=1s");
    }

    /** The database the child used: the demo's default {@code ./data/reversible-demo}, in the child's working directory. */
    private String url() {
        return "jdbc:h2:file:" + workingDirectory.resolve("data/reversible-demo").toAbsolutePath() + ";WRITE_DELAY=0;LOCK_TIMEOUT=10000";
    }
}
