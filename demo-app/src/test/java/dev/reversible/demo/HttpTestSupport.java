package dev.reversible.demo;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.resttestclient.TestRestTemplate;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureTestRestTemplate;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo as a client sees it: the whole application on a random port, its real database, plain HTTP.
 * Every test starts from the seeded data ({@link DemoData#reset()} before each test: the tables dropped and
 * seeded again, no saga left in the journal); the saga statistics are per application context, so tests compare
 * them before and after.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureTestRestTemplate
@AutoConfigureMetrics
abstract class HttpTestSupport {

    /** Keeps the scale of amounts ({@code 25.00}, not {@code 25.0}), so that they can be compared exactly. */
    protected static final JsonMapper JSON = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

    protected static final MediaType PROBLEM_JSON = MediaType.APPLICATION_PROBLEM_JSON;

    @Autowired
    protected TestRestTemplate rest;

    @Autowired
    protected JdbcClient jdbc;

    @Autowired
    private DemoData demoData;

    @BeforeEach
    void seedDatabase() {
        demoData.reset();
    }

    /** A response with its body parsed; {@code body} is a missing node when there was none. */
    protected record Reply(int status, HttpHeaders headers, JsonNode body) {

        String text(String field) {
            JsonNode node = body.get(field);
            return node == null || node.isNull() ? null : node.stringValue();
        }

        List<String> strings(String field) {
            List<String> values = new ArrayList<>();
            body.get(field).forEach(node -> values.add(node.stringValue()));
            return values;
        }

        List<String> fieldNames() {
            return new ArrayList<>(body.propertyNames());
        }

        MediaType contentType() {
            return headers.getContentType();
        }
    }

    protected Reply postOrder(String customer, String sku, int quantity, String country) {
        return post("/orders", JSON.writeValueAsString(Map.of("customer", customer, "sku", sku, "quantity", quantity, "country", country)));
    }

    protected Reply post(String path, String json) {
        return post(path, json, MediaType.APPLICATION_JSON);
    }

    /** A POST of a body sent as {@code contentType}. */
    protected Reply post(String path, String body, MediaType contentType) {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(contentType);
        return reply(rest.exchange(path, HttpMethod.POST, new HttpEntity<>(body, headers), String.class));
    }

    protected Reply get(String path) {
        return reply(rest.getForEntity(path, String.class));
    }

    private static Reply reply(ResponseEntity<String> response) {
        JsonNode body = response.getBody() == null ? JSON.missingNode() : JSON.readTree(response.getBody());
        return new Reply(response.getStatusCode().value(), response.getHeaders(), body);
    }

    /** @return the stock {@code GET /inventory/{sku}} shows */
    protected int stock(String sku) {
        Reply item = get("/inventory/" + sku);
        assertThat(item.status()).isEqualTo(200);
        return item.body().get("stock").intValue();
    }

    /** @return the balance {@code GET /accounts/{customer}} shows */
    protected BigDecimal balance(String customer) {
        Reply account = get("/accounts/" + customer);
        assertThat(account.status()).isEqualTo(200);
        return account.body().get("balance").decimalValue();
    }

    /** Asserts the seeded stock and balances: BOOK-1 10, LAMP-2 3, alice 100.00, bob 20.00. */
    protected void assertSeededStockAndBalances() {
        assertThat(stock("BOOK-1")).isEqualTo(10);
        assertThat(stock("LAMP-2")).isEqualTo(3);
        assertThat(balance("alice")).isEqualTo(new BigDecimal("100.00"));
        assertThat(balance("bob")).isEqualTo(new BigDecimal("20.00"));
    }

    protected long rows(String table) {
        return jdbc.sql("SELECT COUNT(*) FROM " + table).query(Long.class).single();
    }

    /** @return {@code GET /actuator/reversible} */
    protected JsonNode reversibleEndpoint() {
        Reply endpoint = get("/actuator/reversible");
        assertThat(endpoint.status()).isEqualTo(200);
        return endpoint.body();
    }

    /** The endpoint's totals, to compare before and after. */
    protected record Totals(long started, long completed, long compensated, long compensationFailed, long failed, long active) {

        static Totals of(JsonNode totals) {
            return new Totals(totals.get("started").longValue(), totals.get("completed").longValue(), totals.get("compensated").longValue(),
                    totals.get("compensationFailed").longValue(), totals.get("failed").longValue(), totals.get("active").longValue());
        }

        Totals minus(Totals before) {
            return new Totals(started - before.started, completed - before.completed, compensated - before.compensated,
                    compensationFailed - before.compensationFailed, failed - before.failed, active - before.active);
        }
    }

    protected Totals totals() {
        return Totals.of(reversibleEndpoint().get("totals"));
    }

    /** @return one action's counter ({@code completed}, {@code failed}, {@code compensated}, {@code compensationFailed}) on the endpoint */
    protected long actionCount(String action, String counter) {
        return reversibleEndpoint().get("actions").get(action).get(counter).longValue();
    }

    /** @return the endpoint's most recent rollback of the given saga execution */
    protected JsonNode rollbackOf(String sagaId) {
        for (JsonNode rollback : reversibleEndpoint().get("recentRollbacks")) {
            if (sagaId.equals(rollback.get("sagaId").stringValue())) {
                return rollback;
            }
        }
        throw new AssertionError("no rollback of saga " + sagaId + " on /actuator/reversible");
    }

    protected static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(node -> values.add(node.stringValue()));
        return values;
    }
}
