package dev.reversible.spring;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.jayway.jsonpath.JsonPath;
import dev.reversible.spring.annotation.Compensate;
import dev.reversible.spring.annotation.ReversibleAction;
import dev.reversible.spring.annotation.ReversibleSaga;
import dev.reversible.spring.jdbc.JdbcStepJournal;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.resttestclient.TestRestTemplate;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureTestRestTemplate;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * A running application on a random port, scraped like Prometheus does: the saga timer exports its maximum and,
 * with {@code percentiles-histogram}, its buckets; and every query of the Grafana dashboard in
 * {@code docs/grafana} names a series that this scrape really has (the journal runs, on an embedded H2 database,
 * so that its gauges are in the scrape too).
 */
@SpringBootTest(classes = PrometheusScrapeTests.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "management.endpoints.web.exposure.include=prometheus",
                "management.metrics.distribution.percentiles-histogram.reversible.saga=true",
                // The property applies to every meter whose name starts with its key: keep the long-task timer plain.
                "management.metrics.distribution.percentiles-histogram.reversible.saga.active=false" })
@AutoConfigureTestRestTemplate
@DirtiesContext
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrometheusScrapeTests {

    private static final Path DASHBOARD = Path.of("..", "docs", "grafana", "reversible-dashboard.json");

    @Autowired
    private TestRestTemplate rest;

    @Autowired
    private Shop shop;

    @Autowired
    private ObjectProvider<JdbcStepJournal> journal;

    private String scrape;

    @BeforeAll
    void runSagasAndScrape() {
        shop.order(false);
        assertThatIllegalStateException().isThrownBy(() -> shop.order(true));
        scrape = rest.getForObject("/actuator/prometheus", String.class);
    }

    @Test
    void sagaTimerExportsItsCountMaximumAndHistogramBuckets() {
        assertThat(scrape).contains("reversible_saga_seconds_count{error=\"none\",outcome=\"completed\",saga=\"Shop.order\"} 1");
        assertThat(scrape).contains("reversible_saga_seconds_count{error=\"IllegalStateException\",outcome=\"compensated\",saga=\"Shop.order\"} 1");
        assertThat(value("reversible_saga_seconds_max{error=\"none\",outcome=\"completed\",saga=\"Shop.order\"}")).isPositive();
        assertThat(scrape).contains("reversible_saga_seconds_bucket{error=\"none\",outcome=\"completed\",saga=\"Shop.order\",le=\"+Inf\"} 1");
        assertThat(series()).filteredOn(name -> name.startsWith("reversible_saga_seconds_bucket")).hasSize(1);
        // Only the saga timer was asked for buckets.
        assertThat(scrape).doesNotContain("reversible_step_seconds_bucket");
    }

    @Test
    void zeroCountOutcomesAreExportedBeforeTheyHappen() {
        assertThat(scrape).contains("reversible_saga_seconds_count{error=\"none\",outcome=\"compensation_failed\",saga=\"Shop.order\"} 0");
        assertThat(scrape).contains("reversible_compensation_seconds_count{action=\"reserve\",error=\"none\",outcome=\"failed\"} 0");
    }

    @Test
    void activeSagasAreTheSagaObservationsLongTaskTimer() {
        // A long-task timer's _count is the number of tasks running now.
        assertThat(value("reversible_saga_active_seconds_count{saga=\"Shop.order\"}")).isZero();
    }

    @Test
    void theJournalRunsOnTheEmbeddedDatabase() {
        assertThat(journal.getIfAvailable()).isNotNull();
    }

    @Test
    void everyDashboardQueryNamesASeriesTheStarterExports() throws IOException {
        String dashboard = Files.readString(DASHBOARD);
        List<String> queries = new ArrayList<>(JsonPath.read(dashboard, "$.panels[*].targets[*].expr"));
        queries.addAll(JsonPath.read(dashboard, "$.templating.list[?(@.type == 'query')].query"));
        assertThat(queries).hasSizeGreaterThanOrEqualTo(8);
        Set<String> named = new TreeSet<>();
        Matcher metric = Pattern.compile("\\breversible_[a-z_]+").matcher(String.join("\n", queries));
        while (metric.find()) {
            named.add(metric.group());
        }
        assertThat(named).contains("reversible_saga_seconds_count", "reversible_saga_seconds_bucket", "reversible_saga_seconds_max",
                "reversible_saga_active_seconds_count", "reversible_step_seconds_count", "reversible_compensation_seconds_count",
                "reversible_saga_stuck");
        Set<String> exported = series();
        assertThat(named).allSatisfy(name -> assertThat(exported).as("%s is in the scrape", name).contains(name));
    }

    private Set<String> series() {
        Set<String> names = new TreeSet<>();
        for (String line : scrape.split("\n")) {
            if (!line.startsWith("#") && !line.isBlank()) {
                names.add(line.split("[{ ]", 2)[0]);
            }
        }
        return names;
    }

    private double value(String series) {
        for (String line : scrape.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        throw new AssertionError(series + " is not in the scrape:\n" + scrape);
    }

    /** With an embedded H2 database: the journal is on, as the dashboard's stuck-sagas panel needs. */
    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import({ Shop.class, Inventory.class })
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

    static class Shop {

        private final Inventory inventory;

        Shop(Inventory inventory) {
            this.inventory = inventory;
        }

        @ReversibleSaga
        public void order(boolean fail) {
            inventory.reserve("sku");
            if (fail) {
                throw new IllegalStateException("out of luck");
            }
        }
    }
}
