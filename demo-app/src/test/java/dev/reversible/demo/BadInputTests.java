package dev.reversible.demo;

import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Bad input to {@code POST /orders} is a 400 problem naming the offending field, refused before any saga
 * starts: no saga, no rollback on {@code /actuator/reversible}, no row written, stock and balances untouched.
 */
class BadInputTests extends HttpTestSupport {

    private Totals before;
    private int rollbacksBefore;

    @BeforeEach
    void recordEndpointBefore() {
        before = totals();
        rollbacksBefore = reversibleEndpoint().get("recentRollbacks").size();
    }

    static Stream<Arguments> badOrders() {
        return Stream.of(
                arguments("unknown customer", "{\"customer\":\"carol\",\"sku\":\"BOOK-1\",\"quantity\":1,\"country\":\"DE\"}",
                        "customer", "Unknown customer 'carol'"),
                arguments("unknown SKU", "{\"customer\":\"alice\",\"sku\":\"TEA-9\",\"quantity\":1,\"country\":\"DE\"}",
                        "sku", "Unknown SKU 'TEA-9'"),
                arguments("quantity 0", "{\"customer\":\"alice\",\"sku\":\"BOOK-1\",\"quantity\":0,\"country\":\"DE\"}",
                        "quantity", "quantity must be greater than or equal to 1"),
                arguments("negative quantity", "{\"customer\":\"alice\",\"sku\":\"BOOK-1\",\"quantity\":-3,\"country\":\"DE\"}",
                        "quantity", "quantity must be greater than or equal to 1"),
                arguments("missing customer", "{\"sku\":\"BOOK-1\",\"quantity\":1,\"country\":\"DE\"}",
                        "customer", "customer must not be blank"),
                arguments("missing SKU", "{\"customer\":\"alice\",\"quantity\":1,\"country\":\"DE\"}",
                        "sku", "sku must not be blank"),
                arguments("missing quantity", "{\"customer\":\"alice\",\"sku\":\"BOOK-1\",\"country\":\"DE\"}",
                        "quantity", "quantity must not be null"),
                arguments("missing country", "{\"customer\":\"alice\",\"sku\":\"BOOK-1\",\"quantity\":1}",
                        "country", "country must not be blank"),
                arguments("country not a two-letter code", "{\"customer\":\"alice\",\"sku\":\"BOOK-1\",\"quantity\":1,\"country\":\"Germany\"}",
                        "country", "country must be a two-letter country code such as DE"),
                arguments("quantity of the wrong type", "{\"customer\":\"alice\",\"sku\":\"BOOK-1\",\"quantity\":\"two\",\"country\":\"DE\"}",
                        "quantity", "quantity must be a whole number"),
                arguments("fractional quantity", "{\"customer\":\"alice\",\"sku\":\"BOOK-1\",\"quantity\":1.5,\"country\":\"DE\"}",
                        "quantity", "quantity must be a whole number"),
                arguments("customer of the wrong type", "{\"customer\":[\"alice\"],\"sku\":\"BOOK-1\",\"quantity\":1,\"country\":\"DE\"}",
                        "customer", "customer must be a string"),
                arguments("malformed JSON in a value", "{\"customer\":\"alice\",\"sku\":\"BOOK-1\",\"quantity\":1,\"country\":DE}",
                        "country", "The body is not valid JSON in the value of country: DE is not a JSON value"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badOrders")
    void badOrderIsA400NamingTheFieldAndNothingIsWritten(String kind, String body, String field, String detail) {
        Reply refused = post("/orders", body);

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.contentType()).isEqualTo(PROBLEM_JSON);
        assertThat(refused.text("title")).isEqualTo("Invalid request");
        assertThat(refused.body().get("status").intValue()).isEqualTo(400);
        assertThat(refused.text("instance")).isEqualTo("/orders");
        assertThat(refused.text("field")).isEqualTo(field);
        assertThat(refused.text("detail")).startsWith(detail);
        assertNothingWritten();
    }

    @Test
    void everyViolationIsListedAndTheFirstByNameIsTheField() {
        Reply refused = post("/orders", "{\"customer\":\"\",\"sku\":\"BOOK-1\",\"quantity\":0}");

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.text("field")).isEqualTo("country");
        assertThat(refused.text("detail")).isEqualTo("country must not be blank; customer must not be blank; quantity must be greater than or equal to 1");
        assertThat(refused.body().get("errors").size()).isEqualTo(3);
        assertThat(refused.body().get("errors").get(2).get("field").stringValue()).isEqualTo("quantity");
        assertThat(refused.body().get("errors").get(2).get("message").stringValue()).isEqualTo("must be greater than or equal to 1");
        assertNothingWritten();
    }

    @Test
    void bodyThatBreaksOffIsA400WithWhereItBrokeOff() {
        Reply refused = post("/orders", "{\"customer\":\"alice\",\"sku\":\"BOOK-1\",");

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.contentType()).isEqualTo(PROBLEM_JSON);
        assertThat(refused.body().has("field")).as(refused.body().toString()).isFalse();
        assertThat(refused.text("detail")).isEqualTo("The body breaks off after sku");
        assertNothingWritten();
    }

    @Test
    void missingBodyIsA400() {
        Reply refused = post("/orders", "");

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.contentType()).isEqualTo(PROBLEM_JSON);
        assertThat(refused.text("detail")).isEqualTo("Required request body is missing");
        assertNothingWritten();
    }

    private void assertNothingWritten() {
        assertThat(rows("orders")).isZero();
        assertThat(rows("shipments")).isZero();
        assertThat(rows("order_compensations")).isZero();
        assertSeededStockAndBalances();
        assertThat(totals()).isEqualTo(before);
        assertThat(reversibleEndpoint().get("recentRollbacks").size()).isEqualTo(rollbacksBefore);
    }
}
