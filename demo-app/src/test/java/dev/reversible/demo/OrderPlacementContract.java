package dev.reversible.demo;

import java.math.BigDecimal;
import java.util.List;

import tools.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The main paths of {@code POST /orders} — success and a failure at each of the three business steps — with the
 * exact stock, balances and rows afterwards, and the rollback as {@code /actuator/reversible} reports it.
 * Run on H2 by {@link OrderPlacementTests} and on PostgreSQL by {@link PostgresOrderPlacementTests}.
 */
abstract class OrderPlacementContract extends HttpTestSupport {

    @Test
    void confirmedOrderTakesTheStockChargesQuantityTimesPriceAndBooksAShipment() {
        Totals before = totals();

        Reply placed = postOrder("alice", "BOOK-1", 2, "DE");

        assertThat(placed.status()).isEqualTo(201);
        long orderId = placed.body().get("orderId").longValue();
        assertThat(placed.fieldNames()).containsExactly("orderId", "status", "amount");
        assertThat(placed.text("status")).isEqualTo("CONFIRMED");
        assertThat(placed.body().get("amount").decimalValue()).isEqualTo(new BigDecimal("25.00"));
        assertThat(placed.headers().getLocation()).isNotNull();
        assertThat(placed.headers().getLocation().getPath()).isEqualTo("/orders/" + orderId);

        assertThat(stock("BOOK-1")).isEqualTo(8);
        assertThat(stock("LAMP-2")).isEqualTo(3);
        assertThat(balance("alice")).isEqualTo(new BigDecimal("75.00"));
        assertThat(balance("bob")).isEqualTo(new BigDecimal("20.00"));
        assertThat(orderStatus(orderId)).isEqualTo("CONFIRMED");
        assertThat(jdbc.sql("SELECT status, tracking_number FROM shipments WHERE order_id = ?")
                .param(orderId)
                .query((row, i) -> row.getString(1) + " " + row.getString(2))
                .list()).containsExactly("BOOKED " + String.format("TRK-%06d", orderId));
        assertThat(rows("order_compensations")).isZero();
        assertThat(totals().minus(before)).isEqualTo(new Totals(1, 1, 0, 0, 0, 0));

        Reply order = get(placed.headers().getLocation().getPath());
        assertThat(order.status()).isEqualTo(200);
        assertThat(order.text("status")).isEqualTo("CONFIRMED");
        assertThat(order.body().get("amount").decimalValue()).isEqualTo(new BigDecimal("25.00"));
        assertThat(order.strings("compensatedSteps")).isEmpty();
    }

    @Test
    void notEnoughStockIsA409AndChangesNoStockOrBalance() {
        Totals before = totals();

        Reply refused = postOrder("alice", "LAMP-2", 5, "DE");

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.contentType()).isEqualTo(PROBLEM_JSON);
        long orderId = refused.body().get("orderId").longValue();
        assertThat(refused.text("title")).isEqualTo("Not enough stock");
        assertThat(refused.text("detail")).isEqualTo("Not enough LAMP-2 in stock: 5 requested, 3 available");
        assertThat(refused.text("instance")).isEqualTo("/orders/" + orderId);
        assertThat(refused.body().get("status").intValue()).isEqualTo(409);
        assertThat(refused.text("orderStatus")).isEqualTo("CANCELLED");
        assertThat(refused.text("sagaName")).isEqualTo("placeOrder");
        assertThat(refused.text("failedStep")).isEqualTo("reserveStock");
        assertThat(refused.strings("compensatedSteps")).containsExactly("createOrder");
        assertThat(refused.body().has("pendingSteps")).isFalse();

        assertSeededStockAndBalances();
        assertThat(orderStatus(orderId)).isEqualTo("CANCELLED");
        assertThat(compensationRows(orderId)).containsExactly("1 reserveStock STEP_FAILED", "0 createOrder UNDONE");
        assertThat(rows("shipments")).isZero();
        assertThat(totals().minus(before)).isEqualTo(new Totals(1, 0, 1, 0, 0, 0));
        JsonNode rollback = rollbackOf(refused.text("sagaId"));
        assertThat(rollback.get("sagaName").stringValue()).isEqualTo("placeOrder");
        assertThat(rollback.get("failedStep").stringValue()).isEqualTo("reserveStock");
        assertThat(strings(rollback.get("compensated"))).containsExactly("reserveStock", "createOrder");
    }

    @Test
    void notEnoughBalanceIsA402AndPutsTheReservedStockBack() {
        Totals before = totals();

        Reply refused = postOrder("bob", "LAMP-2", 1, "DE");

        assertThat(refused.status()).isEqualTo(402);
        assertThat(refused.contentType()).isEqualTo(PROBLEM_JSON);
        long orderId = refused.body().get("orderId").longValue();
        assertThat(refused.text("title")).isEqualTo("Insufficient funds");
        assertThat(refused.text("detail")).isEqualTo("Balance of bob is 20.00, the order costs 40.00");
        assertThat(refused.text("orderStatus")).isEqualTo("CANCELLED");
        assertThat(refused.text("sagaName")).isEqualTo("placeOrder");
        assertThat(refused.text("failedStep")).isEqualTo("chargeAccount");
        assertThat(refused.strings("compensatedSteps")).containsExactly("reserveStock", "createOrder");

        assertSeededStockAndBalances();
        assertThat(orderStatus(orderId)).isEqualTo("CANCELLED");
        assertThat(compensationRows(orderId)).containsExactly("2 chargeAccount STEP_FAILED", "1 reserveStock UNDONE", "0 createOrder UNDONE");
        assertThat(totals().minus(before)).isEqualTo(new Totals(1, 0, 1, 0, 0, 0));
        JsonNode rollback = rollbackOf(refused.text("sagaId"));
        assertThat(rollback.get("failedStep").stringValue()).isEqualTo("chargeAccount");
        assertThat(strings(rollback.get("compensated"))).containsExactly("chargeAccount", "reserveStock", "createOrder");
    }

    @Test
    void refusedShipmentIsA502AndRefundsThenReleasesInReverseOrder() {
        Totals before = totals();

        Reply refused = postOrder("alice", "BOOK-1", 2, "AQ");

        assertThat(refused.status()).isEqualTo(502);
        assertThat(refused.contentType()).isEqualTo(PROBLEM_JSON);
        long orderId = refused.body().get("orderId").longValue();
        assertThat(refused.text("title")).isEqualTo("Shipment refused");
        assertThat(refused.text("detail")).isEqualTo("The carrier does not deliver to AQ");
        assertThat(refused.text("orderStatus")).isEqualTo("CANCELLED");
        assertThat(refused.text("sagaName")).isEqualTo("placeOrder");
        assertThat(refused.text("failedStep")).isEqualTo("bookShipment");
        assertThat(refused.strings("compensatedSteps")).containsExactly("chargeAccount", "reserveStock", "createOrder");

        assertSeededStockAndBalances();
        assertThat(orderStatus(orderId)).isEqualTo("CANCELLED");
        assertThat(compensationRows(orderId)).containsExactly("3 bookShipment STEP_FAILED", "2 chargeAccount UNDONE", "1 reserveStock UNDONE",
                "0 createOrder UNDONE");
        assertThat(rows("shipments")).isZero();
        assertThat(totals().minus(before)).isEqualTo(new Totals(1, 0, 1, 0, 0, 0));
        JsonNode rollback = rollbackOf(refused.text("sagaId"));
        assertThat(rollback.get("failedStep").stringValue()).isEqualTo("bookShipment");
        assertThat(rollback.get("exceptionClass").stringValue()).isEqualTo("dev.reversible.demo.shipping.ShipmentRefusedException");
        assertThat(strings(rollback.get("compensated"))).containsExactly("bookShipment", "chargeAccount", "reserveStock", "createOrder");
        assertThat(strings(rollback.get("pending"))).isEmpty();

        Reply order = get("/orders/" + orderId);
        assertThat(order.status()).isEqualTo(200);
        assertThat(order.text("status")).isEqualTo("CANCELLED");
        assertThat(order.body().get("amount").isNull()).isTrue();
        assertThat(order.text("failedStep")).isEqualTo("bookShipment");
        assertThat(order.strings("compensatedSteps")).containsExactly("chargeAccount", "reserveStock", "createOrder");
    }

    @Test
    void stockAndBalanceRestoredByRollbacksCanBeSpentAgain() {
        assertThat(postOrder("bob", "LAMP-2", 1, "DE").status()).isEqualTo(402);
        assertThat(postOrder("alice", "LAMP-2", 2, "AQ").status()).isEqualTo(502);

        Reply placed = postOrder("alice", "LAMP-2", 2, "DE");

        assertThat(placed.status()).isEqualTo(201);
        assertThat(placed.body().get("amount").decimalValue()).isEqualTo(new BigDecimal("80.00"));
        assertThat(stock("LAMP-2")).isEqualTo(1);
        assertThat(balance("alice")).isEqualTo(new BigDecimal("20.00"));
        assertThat(postOrder("alice", "LAMP-2", 2, "DE").status()).isEqualTo(409);
        assertThat(stock("LAMP-2")).isEqualTo(1);
    }

    private String orderStatus(long orderId) {
        return jdbc.sql("SELECT status FROM orders WHERE id = ?").param(orderId).query(String.class).single();
    }

    /** The compensation handlers' records for an order, in the order they ran: "stepIndex step outcome". */
    private List<String> compensationRows(long orderId) {
        List<String> sagaIds = jdbc.sql("SELECT DISTINCT saga_id FROM order_compensations WHERE order_id = ?").param(orderId).query(String.class).list();
        assertThat(sagaIds).as("one saga execution per order").hasSize(1);
        return jdbc.sql("SELECT step_index, step, outcome FROM order_compensations WHERE order_id = ? ORDER BY id")
                .param(orderId)
                .query((row, i) -> row.getInt(1) + " " + row.getString(2) + " " + row.getString(3))
                .list();
    }
}
