package dev.reversible.spring;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.reversible.spring.annotation.Compensate;
import dev.reversible.spring.annotation.ReversibleAction;
import dev.reversible.spring.annotation.ReversibleSaga;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.resttestclient.TestRestTemplate;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureTestRestTemplate;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * With a tracer (Brave, through Boot's auto-configuration) and the Prometheus registry, the buckets of the
 * {@code reversible.saga}, {@code reversible.step} and {@code reversible.compensation} histograms carry
 * exemplars in the OpenMetrics scrape: the trace and span ids of the saga, step or compensation that was
 * timed. The saga's timing and its steps' and compensations' carry the same trace id — one trace per saga —
 * so a slow bucket on the dashboard leads to its trace.
 */
@SpringBootTest(classes = PrometheusExemplarsTests.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "management.endpoints.web.exposure.include=prometheus",
                "management.tracing.sampling.probability=1.0",
                "management.metrics.distribution.percentiles-histogram.reversible.saga=true",
                "management.metrics.distribution.percentiles-histogram.reversible.step=true",
                "management.metrics.distribution.percentiles-histogram.reversible.compensation=true",
                // The property applies to every meter whose name starts with its key: keep the long-task timers plain.
                "management.metrics.distribution.percentiles-histogram.reversible.saga.active=false",
                "management.metrics.distribution.percentiles-histogram.reversible.step.active=false",
                "management.metrics.distribution.percentiles-histogram.reversible.compensation.active=false" })
@AutoConfigureTestRestTemplate
@DirtiesContext
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrometheusExemplarsTests {

    private static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    /** A bucket line with its exemplar: {@code name{labels} count # {span_id="…",trace_id="…"} value timestamp}. */
    private static final Pattern BUCKET_WITH_EXEMPLAR = Pattern.compile(
            "^(reversible_[a-z]+_seconds_bucket)\\{([^}]*)} \\S+ # \\{([^}]*)} \\S+.*$", Pattern.MULTILINE);

    private static final Pattern TRACE_ID = Pattern.compile("trace_id=\"([0-9a-f]{32})\"");

    private static final Pattern SPAN_ID = Pattern.compile("span_id=\"([0-9a-f]{16})\"");

    @Autowired
    private TestRestTemplate rest;

    @Autowired
    private Shop shop;

    private ResponseEntity<String> scrape;

    @BeforeAll
    void rollBackOneSagaAndScrapeAsOpenMetrics() {
        assertThatIllegalStateException().isThrownBy(() -> shop.order());
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.ACCEPT, OPENMETRICS);
        scrape = rest.exchange("/actuator/prometheus", HttpMethod.GET, new HttpEntity<>(headers), String.class);
    }

    @Test
    void scrapeIsOpenMetrics() {
        assertThat(scrape.getStatusCode().is2xxSuccessful()).isTrue();
        assertThat(scrape.getHeaders().getContentType().toString()).startsWith("application/openmetrics-text");
        assertThat(scrape.getBody()).endsWith("# EOF\n");
    }

    @Test
    void sagaStepAndCompensationBucketsCarryExemplarsOfOneTrace() {
        List<Exemplar> exemplars = exemplars();
        Exemplar saga = only(exemplars, "reversible_saga_seconds_bucket", "outcome=\"compensated\"");
        Exemplar step = only(exemplars, "reversible_step_seconds_bucket", "action=\"reserve\"");
        Exemplar failedStep = only(exemplars, "reversible_step_seconds_bucket", "action=\"charge\"");
        Exemplar compensation = only(exemplars, "reversible_compensation_seconds_bucket", "action=\"reserve\"");

        assertThat(List.of(step, failedStep, compensation)).extracting(Exemplar::traceId).containsOnly(saga.traceId());
        assertThat(List.of(saga, step, failedStep, compensation)).extracting(Exemplar::spanId).doesNotHaveDuplicates();
        // The counts carry the same sample's exemplar.
        assertThat(scrape.getBody()).containsPattern("(?m)^reversible_saga_seconds_count\\{[^}]*outcome=\"compensated\"[^}]*} 1 # \\{span_id=\""
                + saga.spanId() + "\",trace_id=\"" + saga.traceId() + "\"}");
    }

    /** @return the one exemplar on the buckets of {@code metric} whose labels contain {@code label} */
    private static Exemplar only(List<Exemplar> exemplars, String metric, String label) {
        List<Exemplar> found = exemplars.stream().filter(e -> e.metric.equals(metric) && e.labels.contains(label)).toList();
        // One timing, so one bucket (the first whose bound it is under, and the +Inf one by the same sample) ...
        assertThat(found).as("exemplars of %s{%s}", metric, label).isNotEmpty();
        // ... all of them the same sample.
        assertThat(found).extracting(Exemplar::spanId).as("exemplars of %s{%s}", metric, label).containsOnly(found.get(0).spanId);
        return found.get(0);
    }

    private List<Exemplar> exemplars() {
        List<Exemplar> exemplars = new ArrayList<>();
        Matcher line = BUCKET_WITH_EXEMPLAR.matcher(scrape.getBody());
        while (line.find()) {
            Matcher trace = TRACE_ID.matcher(line.group(3));
            Matcher span = SPAN_ID.matcher(line.group(3));
            assertThat(trace.find() && span.find()).as("trace and span ids in %s", line.group()).isTrue();
            exemplars.add(new Exemplar(line.group(1), line.group(2), trace.group(1), span.group(1)));
        }
        return exemplars;
    }

    private record Exemplar(String metric, String labels, String traceId, String spanId) {
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration(excludeName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
    @Import({ Shop.class, Inventory.class, Payments.class })
    static class App {
    }

    static class Inventory {

        @ReversibleAction
        public String reserve(String sku) {
            return sku;
        }

        @Compensate("reserve")
        public void release(String sku) {
        }
    }

    static class Payments {

        @ReversibleAction
        public String charge(String account) {
            throw new IllegalStateException("declined");
        }

        @Compensate("charge")
        public void refund(String account) {
        }
    }

    static class Shop {

        private final Inventory inventory;
        private final Payments payments;

        Shop(Inventory inventory, Payments payments) {
            this.inventory = inventory;
            this.payments = payments;
        }

        @ReversibleSaga
        public void order() {
            inventory.reserve("sku");
            payments.charge("alice");
        }
    }
}
