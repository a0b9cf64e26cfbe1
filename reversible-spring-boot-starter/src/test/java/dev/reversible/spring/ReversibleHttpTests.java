package dev.reversible.spring;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import dev.reversible.core.CompensationFailedException;
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
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A running application on a random port: requests run sagas through a controller, then
 * {@code /actuator/reversible} and {@code /actuator/metrics/reversible.saga} show exactly what happened.
 * The three orders are placed once, in a context of this class's own; the tests only read, so the counts are exact.
 */
@SpringBootTest(classes = ReversibleHttpTests.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "management.endpoints.web.exposure.include=reversible,metrics")
@AutoConfigureTestRestTemplate
@DirtiesContext
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReversibleHttpTests {

    private static final String SAGA = "OrderService.placeOrder";

    @Autowired
    private TestRestTemplate rest;

    @Autowired
    private SagaIds sagaIds;

    private Instant before;
    private Instant after;

    /** One order completes, one is rolled back, one is rolled back but its reservation cannot be released. */
    @BeforeAll
    void placeOrders() {
        before = Instant.now();
        ResponseEntity<String> completed = order("order-alpha", "none");
        ResponseEntity<String> declined = order("order-beta", "charge");
        ResponseEntity<String> stuck = order("order-gamma-stuck", "book");
        after = Instant.now();

        assertThat(completed.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(completed.getBody()).isEqualTo("booked order-alpha");
        assertThat(declined.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
        assertThat(declined.getBody()).isEqualTo("card declined");
        assertThat(stuck.getStatusCode()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
        assertThat(stuck.getBody()).isEqualTo("rollback incomplete: [reserve]");
        assertThat(sagaIds.ids).hasSize(2);
    }

    @Test
    void endpointShowsTheExactCountsAndRollbacksOfRealRequests() {
        ResponseEntity<String> response = rest.getForEntity("/actuator/reversible", String.class);

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
        DocumentContext json = JsonPath.parse(response.getBody());
        Map<String, Object> expectedTotals = Map.of("started", 3, "completed", 1, "compensated", 1, "compensationFailed", 1,
                "failed", 0, "active", 0);
        assertThat(json.<Map<String, Object>>read("$.totals")).containsExactlyInAnyOrderEntriesOf(expectedTotals);
        assertThat(json.<Map<String, Object>>read("$.sagas")).containsOnlyKeys(SAGA);
        assertThat(json.<Map<String, Object>>read("$.sagas['" + SAGA + "']")).containsExactlyInAnyOrderEntriesOf(expectedTotals);
        assertThat(json.<Map<String, Object>>read("$.actions")).containsOnlyKeys("reserve", "charge", "book");
        assertThat(json.<Map<String, Object>>read("$.actions.reserve")).containsExactlyInAnyOrderEntriesOf(
                Map.of("completed", 3, "failed", 0, "compensated", 1, "compensationFailed", 1, "undoneByTransaction", 0));
        assertThat(json.<Map<String, Object>>read("$.actions.charge")).containsExactlyInAnyOrderEntriesOf(
                Map.of("completed", 2, "failed", 1, "compensated", 2, "compensationFailed", 0, "undoneByTransaction", 0));
        assertThat(json.<Map<String, Object>>read("$.actions.book")).containsExactlyInAnyOrderEntriesOf(
                Map.of("completed", 1, "failed", 1, "compensated", 1, "compensationFailed", 0, "undoneByTransaction", 0));

        assertThat(json.<List<Object>>read("$.recentRollbacks")).hasSize(2);
        // newest first: the order whose reservation could not be released
        assertThat(json.<String>read("$.recentRollbacks[0].sagaName")).isEqualTo(SAGA);
        assertThat(json.<String>read("$.recentRollbacks[0].sagaId")).isEqualTo(sagaIds.ids.get(1));
        assertThat(json.<String>read("$.recentRollbacks[0].failedStep")).isEqualTo("book");
        assertThat(json.<String>read("$.recentRollbacks[0].exceptionClass")).isEqualTo(IllegalStateException.class.getName());
        // show-values is at its default, never: the class is shown, the message (often customer data) is not
        assertThat(json.<String>read("$.recentRollbacks[0].exceptionMessage")).isEqualTo("******");
        assertThat(json.<List<String>>read("$.recentRollbacks[0].compensated")).containsExactly("book", "charge");
        assertThat(json.<List<String>>read("$.recentRollbacks[0].failedCompensations")).containsExactly("reserve");
        assertThat(json.<List<String>>read("$.recentRollbacks[0].pending")).containsExactly("reserve");
        assertThat(json.<String>read("$.recentRollbacks[1].sagaName")).isEqualTo(SAGA);
        assertThat(json.<String>read("$.recentRollbacks[1].sagaId")).isEqualTo(sagaIds.ids.get(0));
        assertThat(json.<String>read("$.recentRollbacks[1].failedStep")).isEqualTo("charge");
        assertThat(json.<String>read("$.recentRollbacks[1].exceptionClass")).isEqualTo(IllegalStateException.class.getName());
        assertThat(json.<String>read("$.recentRollbacks[1].exceptionMessage")).isEqualTo("******");
        assertThat(json.<List<String>>read("$.recentRollbacks[1].compensated")).containsExactly("charge", "reserve");
        assertThat(json.<List<String>>read("$.recentRollbacks[1].failedCompensations")).isEmpty();
        assertThat(json.<List<String>>read("$.recentRollbacks[1].pending")).isEmpty();
        Instant newest = Instant.parse(json.read("$.recentRollbacks[0].timestamp"));
        Instant older = Instant.parse(json.read("$.recentRollbacks[1].timestamp"));
        assertThat(older).isBetween(before, newest);
        assertThat(newest).isBetween(older, after);
        assertThat(sagaIds.ids.get(0)).isNotEqualTo(sagaIds.ids.get(1));
    }

    @Test
    void endpointNeverShowsArgumentValues() {
        String body = rest.getForObject("/actuator/reversible", String.class);

        assertThat(body).contains(SAGA).doesNotContain("order-alpha", "order-beta", "order-gamma-stuck", "card-4111");
    }

    @Test
    void sagaSelectorShowsOneSagasCountsAndIsNotFoundForAnUnknownSaga() {
        ResponseEntity<String> one = rest.getForEntity("/actuator/reversible/{saga}", String.class, SAGA);
        ResponseEntity<String> unknown = rest.getForEntity("/actuator/reversible/{saga}", String.class, "OrderService.noSuchSaga");

        assertThat(one.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(JsonPath.parse(one.getBody()).<Map<String, Object>>read("$")).containsExactlyInAnyOrderEntriesOf(Map.of("name", SAGA,
                "started", 3, "completed", 1, "compensated", 1, "compensationFailed", 1, "failed", 0, "active", 0));
        assertThat(unknown.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
    }

    @Test
    void metricsEndpointShowsTheExactSagaCountsPerOutcome() {
        assertThat(count("reversible.saga", "outcome:compensated")).isEqualTo(1.0);
        assertThat(count("reversible.saga", "outcome:compensation_failed")).isEqualTo(1.0);
        assertThat(count("reversible.saga", "saga:" + SAGA, "outcome:completed")).isEqualTo(1.0);
        assertThat(count("reversible.saga", "outcome:failed")).isEqualTo(0.0);
        assertThat(count("reversible.saga")).isEqualTo(3.0);
        assertThat(count("reversible.step", "action:charge", "outcome:failed")).isEqualTo(1.0);
        assertThat(count("reversible.compensation", "action:reserve", "outcome:failed")).isEqualTo(1.0);
        assertThat(count("reversible.compensation", "action:charge", "outcome:compensated")).isEqualTo(2.0);
    }

    @Test
    void metricsEndpointListsTheSagaAndOutcomeTags() {
        DocumentContext json = JsonPath.parse(rest.getForObject("/actuator/metrics/reversible.saga", String.class));

        assertThat(json.<List<String>>read("$.availableTags[?(@.tag == 'saga')].values[*]")).containsExactly(SAGA);
        assertThat(json.<List<String>>read("$.availableTags[?(@.tag == 'outcome')].values[*]"))
                .containsExactlyInAnyOrder("completed", "compensated", "compensation_failed", "failed");
    }

    private ResponseEntity<String> order(String order, String failAt) {
        return rest.postForEntity("/orders?order={order}&card={card}&failAt={failAt}", null, String.class, order, "card-4111-1111",
                failAt);
    }

    private double count(String meter, String... tags) {
        StringBuilder uri = new StringBuilder("/actuator/metrics/").append(meter);
        for (int i = 0; i < tags.length; i++) {
            uri.append(i == 0 ? '?' : '&').append("tag=").append(tags[i]);
        }
        ResponseEntity<String> response = rest.getForEntity(uri.toString(), String.class);
        assertThat(response.getStatusCode()).as(uri.toString()).isEqualTo(HttpStatus.OK);
        List<Double> counts = JsonPath.parse(response.getBody()).read("$.measurements[?(@.statistic == 'COUNT')].value");
        assertThat(counts).as(uri.toString()).hasSize(1);
        return counts.get(0);
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration(excludeName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
    @Import({ OrderController.class, OrderService.class, OrderSteps.class, SagaIds.class })
    static class App {
    }

    /** The saga ids the compensations saw, in the order the sagas rolled back. */
    static class SagaIds {

        final List<String> ids = new CopyOnWriteArrayList<>();

        void saw(String id) {
            if (!ids.contains(id)) {
                ids.add(id);
            }
        }
    }

    @RestController
    static class OrderController {

        private final OrderService orders;

        OrderController(OrderService orders) {
            this.orders = orders;
        }

        @PostMapping("/orders")
        ResponseEntity<String> place(@RequestParam String order, @RequestParam String card, @RequestParam String failAt) {
            try {
                return ResponseEntity.ok(orders.placeOrder(order, card, failAt));
            } catch (CompensationFailedException e) {
                return ResponseEntity.internalServerError().body("rollback incomplete: " + e.pending());
            } catch (IllegalStateException e) {
                return ResponseEntity.status(HttpStatus.CONFLICT).body(e.getMessage());
            }
        }
    }

    static class OrderService {

        private final OrderSteps steps;

        OrderService(OrderSteps steps) {
            this.steps = steps;
        }

        @ReversibleSaga
        public String placeOrder(String order, String card, String failAt) {
            steps.reserve(order);
            steps.charge(card, failAt.equals("charge"));
            return steps.book(order, failAt.equals("book"));
        }
    }

    static class OrderSteps {

        private final SagaIds sagaIds;

        OrderSteps(SagaIds sagaIds) {
            this.sagaIds = sagaIds;
        }

        @ReversibleAction
        public String reserve(String order) {
            return "reservation of " + order;
        }

        @Compensate("reserve")
        public void release(String order, String reservation, CompensationContext context) {
            sagaIds.saw(context.sagaId());
            if (order.endsWith("-stuck")) {
                throw new IllegalStateException("warehouse offline");
            }
        }

        @ReversibleAction
        public String charge(String card, boolean decline) {
            if (decline) {
                throw new IllegalStateException("card declined");
            }
            return "payment";
        }

        @Compensate("charge")
        public void refund(String card, boolean decline, CompensationContext context) {
            sagaIds.saw(context.sagaId());
        }

        @ReversibleAction
        public String book(String order, boolean noCarrier) {
            if (noCarrier) {
                throw new IllegalStateException("no carrier");
            }
            return "booked " + order;
        }

        @Compensate("book")
        public void cancel(String order, boolean noCarrier, CompensationContext context) {
            sagaIds.saw(context.sagaId());
        }
    }
}
