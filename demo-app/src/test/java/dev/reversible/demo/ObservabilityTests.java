package dev.reversible.demo;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the demo exposes on its own port: health, metrics, the Prometheus scrape with the
 * {@code reversible.saga} timer, and the {@code reversible} endpoint — and nothing else.
 */
class ObservabilityTests extends HttpTestSupport {

    @Test
    void prometheusScrapeCountsSagasBySagaNameAndOutcome() {
        double completedBefore = scraped("reversible_saga_seconds_count", "outcome=\"completed\",saga=\"placeOrder\"");
        double compensatedBefore = scraped("reversible_saga_seconds_count", "outcome=\"compensated\",saga=\"placeOrder\"");

        assertThat(postOrder("alice", "BOOK-1", 1, "DE").status()).isEqualTo(201);
        assertThat(postOrder("alice", "BOOK-1", 1, "AQ").status()).isEqualTo(502);
        assertThat(postOrder("bob", "LAMP-2", 1, "DE").status()).isEqualTo(402);

        assertThat(scraped("reversible_saga_seconds_count", "outcome=\"completed\",saga=\"placeOrder\"") - completedBefore).isEqualTo(1.0);
        assertThat(scraped("reversible_saga_seconds_count", "outcome=\"compensated\",saga=\"placeOrder\"") - compensatedBefore).isEqualTo(2.0);
        assertThat(scrape()).contains("reversible_step_seconds_count{action=\"chargeAccount\",error=\"InsufficientFundsException\",outcome=\"failed\"}",
                "reversible_compensation_seconds_count{action=\"reserveStock\",error=\"none\",outcome=\"compensated\"}",
                "reversible_saga_active_seconds_count{saga=\"placeOrder\"} 0");
    }

    @Test
    void metricsEndpointShowsTheSagaTimerPerOutcome() {
        double before = metricCount("reversible.saga?tag=saga:placeOrder&tag=outcome:compensated");

        assertThat(postOrder("alice", "LAMP-2", 9, "DE").status()).isEqualTo(409);

        assertThat(metricCount("reversible.saga?tag=saga:placeOrder&tag=outcome:compensated") - before).isEqualTo(1.0);
        Reply saga = get("/actuator/metrics/reversible.saga");
        assertThat(saga.text("baseUnit")).isEqualTo("seconds");
        assertThat(saga.body().get("availableTags").toString()).contains("\"tag\":\"saga\"", "\"placeOrder\"", "\"tag\":\"outcome\"");
    }

    @Test
    void reversibleEndpointShowsOneSagaByName() {
        Reply saga = get("/actuator/reversible/placeOrder");

        assertThat(saga.status()).isEqualTo(200);
        assertThat(saga.text("name")).isEqualTo("placeOrder");
        assertThat(get("/actuator/reversible/noSuchSaga").status()).isEqualTo(404);
    }

    @Test
    void healthIsUpAndOnlyTheListedEndpointsAreExposed() {
        Reply health = get("/actuator/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.text("status")).isEqualTo("UP");

        assertThat(get("/actuator").body().get("_links").propertyNames())
                .contains("health", "metrics", "prometheus", "reversible")
                .doesNotContain("env", "beans", "configprops");
        assertThat(get("/actuator/env").status()).isEqualTo(404);
    }

    private String scrape() {
        var response = rest.getForEntity("/actuator/prometheus", String.class);
        assertThat(response.getStatusCode().value()).isEqualTo(200);
        return response.getBody();
    }

    /**
     * The sum of the sample lines of the scrape whose labels end with {@code labels} (one line per {@code error}
     * class), 0 when there is none yet.
     */
    private double scraped(String metric, String labels) {
        Matcher sample = Pattern.compile("(?m)^" + Pattern.quote(metric + "{") + "[^}]*" + Pattern.quote(labels + "}") + " (\\S+)$")
                .matcher(scrape());
        double sum = 0.0;
        while (sample.find()) {
            sum += Double.parseDouble(sample.group(1));
        }
        return sum;
    }

    private double metricCount(String query) {
        Reply metric = get("/actuator/metrics/" + query);
        assertThat(metric.status()).isEqualTo(200);
        for (var measurement : metric.body().get("measurements")) {
            if ("COUNT".equals(measurement.get("statistic").stringValue())) {
                return measurement.get("value").doubleValue();
            }
        }
        throw new AssertionError("no COUNT in " + metric.body());
    }
}
