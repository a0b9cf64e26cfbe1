package dev.reversible.demo;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /inventory/{sku}}, {@code /accounts/{customer}} and {@code /orders/{id}}, and their 404 problems. */
class StateEndpointsTests extends HttpTestSupport {

    @Test
    void inventoryShowsTheSeededStockAndPrice() {
        Reply book = get("/inventory/BOOK-1");

        assertThat(book.status()).isEqualTo(200);
        assertThat(book.fieldNames()).containsExactly("sku", "stock", "price");
        assertThat(book.text("sku")).isEqualTo("BOOK-1");
        assertThat(book.body().get("stock").intValue()).isEqualTo(10);
        assertThat(book.body().get("price").decimalValue()).isEqualTo(new BigDecimal("12.50"));
        Reply lamp = get("/inventory/LAMP-2");
        assertThat(lamp.body().get("stock").intValue()).isEqualTo(3);
        assertThat(lamp.body().get("price").decimalValue()).isEqualTo(new BigDecimal("40.00"));
    }

    @Test
    void accountsShowTheSeededBalances() {
        Reply alice = get("/accounts/alice");

        assertThat(alice.status()).isEqualTo(200);
        assertThat(alice.fieldNames()).containsExactly("customer", "balance");
        assertThat(alice.body().get("balance").decimalValue()).isEqualTo(new BigDecimal("100.00"));
        assertThat(get("/accounts/bob").body().get("balance").decimalValue()).isEqualTo(new BigDecimal("20.00"));
    }

    @Test
    void orderShowsWhatWasOrderedAndHowItEnded() {
        long orderId = postOrder("bob", "BOOK-1", 1, "FR").body().get("orderId").longValue();

        Reply order = get("/orders/" + orderId);

        assertThat(order.status()).isEqualTo(200);
        assertThat(order.fieldNames()).containsExactly("orderId", "customer", "sku", "quantity", "country", "status", "amount", "failedStep",
                "compensatedSteps");
        assertThat(order.body().get("orderId").longValue()).isEqualTo(orderId);
        assertThat(order.text("customer")).isEqualTo("bob");
        assertThat(order.text("sku")).isEqualTo("BOOK-1");
        assertThat(order.body().get("quantity").intValue()).isEqualTo(1);
        assertThat(order.text("country")).isEqualTo("FR");
        assertThat(order.text("status")).isEqualTo("CONFIRMED");
        assertThat(order.body().get("amount").decimalValue()).isEqualTo(new BigDecimal("12.50"));
        assertThat(order.text("failedStep")).isNull();
        assertThat(order.strings("compensatedSteps")).isEmpty();
    }

    @Test
    void unknownOrderIsA404Problem() {
        assertNotFound("/orders/424242", "No order '424242'");
    }

    @Test
    void unknownSkuIsA404Problem() {
        assertNotFound("/inventory/TEA-9", "No inventory item 'TEA-9'");
    }

    @Test
    void unknownCustomerIsA404Problem() {
        assertNotFound("/accounts/carol", "No account 'carol'");
    }

    @Test
    void nonNumericOrderIdIsA400Problem() {
        Reply reply = get("/orders/abc");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.contentType()).isEqualTo(PROBLEM_JSON);
        assertThat(reply.text("instance")).isEqualTo("/orders/abc");
    }

    private void assertNotFound(String path, String detail) {
        Reply reply = get(path);

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.contentType()).isEqualTo(PROBLEM_JSON);
        assertThat(reply.text("title")).isEqualTo("Not found");
        assertThat(reply.body().get("status").intValue()).isEqualTo(404);
        assertThat(reply.text("detail")).isEqualTo(detail);
        assertThat(reply.text("instance")).isEqualTo(path);
    }
}
