package dev.reversible.demo;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every shape of bad {@code POST /orders} body is answered in the client's terms: the field by its name in the JSON
 * and the problem in plain words, never a Java class, a Jackson feature or token, or the parser's location text; no
 * order is written, and the demo logs nothing about it, the mistake being the client's.
 */
@ExtendWith(OutputCaptureExtension.class)
class BadRequestWordingTests extends HttpTestSupport {

    /** What a problem must never show: Java's and Jackson's names for things, and Jackson's own message forms. */
    private static final List<String> INTERNALS = List.of("dev.reversible", "tools.jackson", "java.", "Source:", "REDACTED",
            "StreamReadFeature", "JsonToken", "Cannot deserialize", "Cannot construct", "line:", "column", "OrderRequest", "`");

    @AfterEach
    void nothingLogged(CapturedOutput output) {
        // A bad request is the client's mistake, answered in full: no stack trace, no warning, not even Jackson's name.
        assertThat(output.getAll()).doesNotContain("tools.jackson", "HttpMessageNotReadableException", "HttpMediaTypeNotSupportedException");
    }

    @Test
    void malformedJsonNamesTheFieldWhoseValueIsNotJson() {
        Reply refused = post("/orders", "{\"customer\":\"alice\",\"sku\":\"BOOK-1\",\"quantity\":2,\"country\":DE}");

        assertBadRequest(refused, "country", "The body is not valid JSON in the value of country: DE is not a JSON value (text goes in double quotes)");
    }

    @Test
    void malformedJsonBetweenFieldsSaysAfterWhichField() {
        Reply refused = post("/orders", "{\"customer\":\"alice\" \"sku\":\"BOOK-1\",\"quantity\":2,\"country\":\"DE\"}");

        assertBadRequest(refused, null, "The body is not valid JSON after customer: a comma is missing");
    }

    @Test
    void truncatedJsonNamesTheFieldWhoseValueIsMissing() {
        Reply refused = post("/orders", "{\"customer\":\"alice\",\"sku\":");

        assertBadRequest(refused, "sku", "The body breaks off before the value of sku");
    }

    @Test
    void truncatedJsonInsideAValueNamesThatField() {
        Reply refused = post("/orders", "{\"customer\":\"alice\",\"sku\":\"BOO");

        assertBadRequest(refused, "sku", "The body breaks off in the value of sku");
    }

    /** No field is wrong: every value sent is whole, the rest is missing. */
    @Test
    void truncatedJsonBetweenFieldsSaysAfterWhichFieldAndBlamesNone() {
        Reply refused = post("/orders", "{\"customer\":\"alice\",\"sku\":\"BOOK-1\",");

        assertBadRequest(refused, null, "The body breaks off after sku");
    }

    @Test
    void arrayBodyAsksForAnObjectWithTheOrdersFields() {
        Reply refused = post("/orders", "[]");

        assertBadRequest(refused, null, "The body must be a JSON object with the fields customer, sku, quantity and country, not an array");
    }

    @Test
    void valueOfTheWrongTypeNamesTheFieldAndTheKindOfValueExpected() {
        Reply refused = post("/orders", "{\"customer\":\"alice\",\"sku\":\"BOOK-1\",\"quantity\":\"two\",\"country\":\"DE\"}");

        assertBadRequest(refused, "quantity", "quantity must be a whole number");
    }

    @Test
    void numberOutOfRangeNamesTheFieldAndTheRange() {
        Reply refused = post("/orders", "{\"customer\":\"alice\",\"sku\":\"BOOK-1\",\"quantity\":99999999999,\"country\":\"DE\"}");

        assertBadRequest(refused, "quantity", "quantity must be a whole number from -2147483648 to 2147483647");
    }

    @Test
    void missingRequiredFieldIsNamedInDetailAndErrors() {
        Reply refused = post("/orders", "{\"customer\":\"alice\",\"sku\":\"BOOK-1\",\"country\":\"DE\"}");

        assertBadRequest(refused, "quantity", "quantity must not be null");
        assertThat(refused.body().get("errors").size()).isEqualTo(1);
        assertThat(refused.body().get("errors").get(0).get("field").stringValue()).isEqualTo("quantity");
        assertThat(refused.body().get("errors").get(0).get("message").stringValue()).isEqualTo("must not be null");
    }

    /**
     * The demo does not reject a field it does not know (Jackson 3's default): it is ignored, and the order placed.
     * A misspelt required field still shows, as that field missing.
     */
    @Test
    void unknownFieldIsIgnoredAndAMisspeltOneIsMissing() {
        Reply misspelt = post("/orders", "{\"customer\":\"alice\",\"sku\":\"BOOK-1\",\"qty\":2,\"country\":\"DE\"}");

        assertBadRequest(misspelt, "quantity", "quantity must not be null");

        Reply placed = post("/orders", "{\"customer\":\"alice\",\"sku\":\"BOOK-1\",\"quantity\":2,\"country\":\"DE\",\"note\":\"gift\"}");
        assertThat(placed.status()).isEqualTo(201);
        assertThat(placed.text("status")).isEqualTo("CONFIRMED");
    }

    @Test
    void emptyBodyIsMissing() {
        Reply refused = post("/orders", "");

        assertBadRequest(refused, null, "Required request body is missing");
    }

    @Test
    void blankBodyIsMissing() {
        Reply refused = post("/orders", "  \n ");

        assertBadRequest(refused, null, "Required request body is missing");
    }

    @Test
    void bodyOfAnotherContentTypeIs415AskingForJson() {
        Reply refused = post("/orders", "{\"customer\":\"alice\",\"sku\":\"BOOK-1\",\"quantity\":2,\"country\":\"DE\"}", MediaType.TEXT_PLAIN);

        assertProblem(refused, 415, "Unsupported Media Type", null,
                "The body must be JSON, sent with Content-Type application/json; this request's Content-Type is text/plain");
        assertThat(refused.headers().getAccept()).contains(MediaType.APPLICATION_JSON);
    }

    private void assertBadRequest(Reply refused, String field, String detail) {
        assertProblem(refused, 400, "Invalid request", field, detail);
    }

    private void assertProblem(Reply refused, int status, String title, String field, String detail) {
        assertThat(refused.status()).as(refused.body().toString()).isEqualTo(status);
        assertThat(refused.contentType()).isEqualTo(PROBLEM_JSON);
        assertThat(refused.body().get("status").intValue()).isEqualTo(status);
        assertThat(refused.text("title")).isEqualTo(title);
        assertThat(refused.text("instance")).isEqualTo("/orders");
        assertThat(refused.text("detail")).isEqualTo(detail);
        assertThat(refused.text("field")).isEqualTo(field);
        assertThat(refused.body().toString()).doesNotContain(INTERNALS);
        assertThat(rows("orders")).isZero();
    }
}
