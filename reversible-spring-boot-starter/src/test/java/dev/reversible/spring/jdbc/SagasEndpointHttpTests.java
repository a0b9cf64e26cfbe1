package dev.reversible.spring.jdbc;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import dev.reversible.jdbc.SagaStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.TestRestTemplate;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureTestRestTemplate;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code sagas} endpoint on a random port, write operations opted in: every operation and its guards
 * (400, 404, 409, retry against resolve at once), the exact JSON of a saga, messages hidden by default, no
 * argument value anywhere, and the operator events.
 */
@SpringBootTest(classes = StuckSagaApps.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:sagas-endpoint-http;DB_CLOSE_DELAY=-1", "spring.datasource.generate-unique-name=false",
        "management.endpoints.web.exposure.include=sagas,health,metrics", "management.endpoint.sagas.access=unrestricted",
        "management.endpoint.health.show-details=always",
        "reversible.jdbc.retry.max-attempts=0", "reversible.jdbc.instance-name=shop-1" })
@AutoConfigureTestRestTemplate
@DirtiesContext
class SagasEndpointHttpTests {

    @Autowired
    private TestRestTemplate rest;

    @Autowired
    private ApplicationContext context;

    @Autowired
    private StuckSagaApps.OperatorEvents operatorEvents;

    @BeforeEach
    void setUp() {
        JournalTestApp.reset();
        operatorEvents.events.clear();
    }

    @Test
    void stuckSagaIsShownWithExactlyTheDocumentedFieldsAndItsMessagesHidden() {
        Instant before = Instant.now();
        String id = StuckSagaApps.stuckOrder(context);

        ResponseEntity<String> response = rest.getForEntity("/actuator/sagas/{id}", String.class, id);

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
        DocumentContext json = JsonPath.parse(response.getBody());
        assertThat(json.<Map<String, Object>>read("$")).containsOnlyKeys("id", "name", "status", "startedAt", "updatedAt", "owner",
                "failedStep", "lastError", "recovered", "note", "recoverable", "unrecoverableReason", "steps");
        assertThat(json.<String>read("$.id")).isEqualTo(id);
        assertThat(json.<Boolean>read("$.recoverable")).as("this instance has every step's action").isTrue();
        assertThat(json.<String>read("$.unrecoverableReason")).isNull();
        assertThat(json.<String>read("$.name")).isEqualTo("Orders.place");
        assertThat(json.<String>read("$.status")).isEqualTo("STUCK");
        assertThat(Instant.parse(json.read("$.startedAt"))).isAfterOrEqualTo(before.minusSeconds(1));
        assertThat(json.<String>read("$.updatedAt")).endsWith("Z");
        assertThat(json.<String>read("$.owner")).isEqualTo("shop-1");
        assertThat(json.<String>read("$.failedStep")).isEqualTo("ship");
        assertThat(json.<Map<String, Object>>read("$.lastError")).containsExactlyInAnyOrderEntriesOf(
                Map.of("class", IllegalStateException.class.getName(), "message", "******"));
        assertThat(json.<Boolean>read("$.recovered")).isFalse();
        assertThat(json.<Object>read("$.note")).isNull();
        assertThat(json.<List<Map<String, Object>>>read("$.steps")).hasSize(3);
        assertThat(json.<Map<String, Object>>read("$.steps[0]")).containsOnlyKeys("index", "parent", "action", "status", "attempts",
                "lastError", "startedAt", "endedAt", "compensations");
        assertThat(json.<List<String>>read("$.steps[*].action")).containsExactly("reserve", "charge", "ship");
        assertThat(json.<List<String>>read("$.steps[*].status")).containsExactly("COMPLETED", "COMPENSATION_FAILED", "COMPENSATED");
        assertThat(json.<List<Integer>>read("$.steps[*].index")).containsExactly(0, 1, 2);
        assertThat(json.<Object>read("$.steps[0].parent")).isNull();
        assertThat(json.<List<Integer>>read("$.steps[*].attempts")).containsExactly(0, 1, 1);
        assertThat(json.<Object>read("$.steps[0].lastError")).isNull();
        assertThat(json.<Map<String, Object>>read("$.steps[1].lastError")).containsExactlyInAnyOrderEntriesOf(
                Map.of("class", IllegalStateException.class.getName(), "message", "******"));
    }

    @Test
    void eachStepShowsWhenItRanAndEachCompensationAttemptWithItsOutcome() {
        String id = StuckSagaApps.stuckOrder(context);

        DocumentContext json = JsonPath.parse(rest.getForObject("/actuator/sagas/{id}", String.class, id));

        List<Instant> starts = json.<List<String>>read("$.steps[*].startedAt").stream().map(Instant::parse).toList();
        List<Instant> ends = json.<List<String>>read("$.steps[*].endedAt").stream().map(Instant::parse).toList();
        assertThat(starts).isSorted().allSatisfy(start -> assertThat(start).isAfterOrEqualTo(Instant.parse(json.read("$.startedAt"))));
        for (int step = 0; step < 3; step++) {
            assertThat(ends.get(step)).as("step %d ends after it starts", step).isAfterOrEqualTo(starts.get(step));
        }
        assertThat(json.<List<Object>>read("$.steps[0].compensations")).as("ABORT stopped before reserve").isEmpty();
        assertThat(json.<List<Map<String, Object>>>read("$.steps[1].compensations")).singleElement().satisfies(attempt -> {
            assertThat(attempt).containsOnlyKeys("attempt", "startedAt", "endedAt", "outcome", "error");
            assertThat(attempt).containsEntry("attempt", 1).containsEntry("outcome", "failed")
                    .containsEntry("error", Map.of("class", IllegalStateException.class.getName(), "message", "******"));
            assertThat(Instant.parse((String) attempt.get("startedAt"))).isAfterOrEqualTo(ends.get(2));
            assertThat(Instant.parse((String) attempt.get("endedAt"))).isAfterOrEqualTo(Instant.parse((String) attempt.get("startedAt")));
        });
        assertThat(json.<List<Map<String, Object>>>read("$.steps[2].compensations")).singleElement().satisfies(attempt -> {
            assertThat(attempt).containsEntry("attempt", 1).containsEntry("outcome", "compensated").containsEntry("error", null);
            assertThat(Instant.parse((String) attempt.get("startedAt"))).as("the failed step's own compensation follows its failure")
                    .isAfterOrEqualTo(ends.get(2));
        });
    }

    @Test
    void noArgumentResultOrMessageAppearsAnywhereInTheEndpointsOutput() {
        String id = StuckSagaApps.stuckOrder(context);

        String list = rest.getForObject("/actuator/sagas", String.class);
        String one = rest.getForObject("/actuator/sagas/{id}", String.class, id);

        for (String body : List.of(list, one)) {
            assertThat(body).contains(id).doesNotContain(StuckSagaApps.SECRET_SKU, "SECRET", "C-alice", "Secret Street", "payment provider down",
                    "at dev.reversible", "Exception:");
        }
    }

    @Test
    void listIsNewestFirstFilteredByStatusAndLimited() {
        String older = StuckSagaApps.stuckOrder(context);
        String newer = StuckSagaApps.stuckOrder(context);

        DocumentContext stuck = JsonPath.parse(rest.getForObject("/actuator/sagas?status=STUCK&limit=2", String.class));
        DocumentContext one = JsonPath.parse(rest.getForObject("/actuator/sagas?limit=1", String.class));
        DocumentContext compensated = JsonPath.parse(rest.getForObject("/actuator/sagas?status=COMPENSATED", String.class));

        assertThat(stuck.<List<String>>read("$.sagas[*].id")).containsExactly(newer, older);
        assertThat(one.<List<String>>read("$.sagas[*].id")).containsExactly(newer);
        assertThat(compensated.<List<String>>read("$.sagas[*].status")).doesNotContain("STUCK");
        assertThat(compensated.<List<String>>read("$.sagas[*].id")).doesNotContain(newer, older);
    }

    @Test
    void listPagesByOffsetAndCountsEveryStatus() {
        String older = StuckSagaApps.stuckOrder(context);
        String newer = StuckSagaApps.stuckOrder(context);

        DocumentContext second = JsonPath.parse(rest.getForObject("/actuator/sagas?status=STUCK&limit=1&offset=1", String.class));
        DocumentContext all = JsonPath.parse(rest.getForObject("/actuator/sagas?status=STUCK&limit=1000", String.class));

        assertThat(all.<List<String>>read("$.sagas[*].id")).startsWith(newer, older);
        assertThat(second.<List<String>>read("$.sagas[*].id")).containsExactly(older);
        assertThat(second.<Map<String, Object>>read("$.counts")).containsOnlyKeys("RUNNING", "COMPLETED", "FAILED", "COMPENSATING",
                "COMPENSATED", "STUCK", "RESOLVED");
        assertThat(second.<Integer>read("$.counts.STUCK")).isEqualTo(all.<List<String>>read("$.sagas[*].id").size());
        assertThat(rest.getForEntity("/actuator/sagas?offset=-1", String.class).getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
    }

    @Test
    void badStatusOrLimitIsABadRequest() {
        assertThat(rest.getForEntity("/actuator/sagas?status=LOST", String.class).getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(rest.getForEntity("/actuator/sagas?limit=0", String.class).getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(rest.getForEntity("/actuator/sagas?limit=1001", String.class).getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(rest.getForEntity("/actuator/sagas?limit=many", String.class).getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(rest.getForEntity("/actuator/sagas?limit=1000", String.class).getStatusCode()).isEqualTo(HttpStatus.OK);
    }

    @Test
    void unknownSagaIsNotFoundForEveryOperation() {
        assertThat(rest.getForEntity("/actuator/sagas/{id}", String.class, "no-such-saga").getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(post("/actuator/sagas/no-such-saga/retry", null).getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(post("/actuator/sagas/no-such-saga/resolve", "{\"note\":\"why\"}").getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(operatorEvents.events).isEmpty();
    }

    @Test
    void retryRunsThePendingCompensationsInOrderAndAnswersTheCompensatedSaga() {
        String id = StuckSagaApps.stuckOrder(context);
        JournalTestApp.CALLS.clear();

        ResponseEntity<String> response = post("/actuator/sagas/" + id + "/retry", null);

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
        DocumentContext json = JsonPath.parse(response.getBody());
        assertThat(json.<String>read("$.status")).isEqualTo("COMPENSATED");
        assertThat(json.<List<String>>read("$.steps[*].status")).containsExactly("COMPENSATED", "COMPENSATED", "COMPENSATED");
        assertThat(JournalTestApp.CALLS).containsExactly("undo charge #1 result=C-alice failure=null attempt=2",
                "undo reserve #0 result=R-" + StuckSagaApps.SECRET_SKU + "-2 failure=null");
        assertThat(StuckSagaApps.status(context, id)).isEqualTo("COMPENSATED");
        assertThat(operatorEvents.events).singleElement().isInstanceOfSatisfying(SagaRetriedEvent.class, event -> {
            assertThat(event.sagaId()).isEqualTo(id);
            assertThat(event.sagaName()).isEqualTo("Orders.place");
            assertThat(event.status()).isEqualTo(SagaStatus.COMPENSATED);
            assertThat(event.note()).isNull();
        });
    }

    @Test
    void retryWhoseCompensationFailsAgainAnswersTheSagaStuckAgain() {
        String id = StuckSagaApps.stuckOrder(context);
        JournalTestApp.Payments.failingRefunds.set(1);

        ResponseEntity<String> response = post("/actuator/sagas/" + id + "/retry", null);

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
        DocumentContext json = JsonPath.parse(response.getBody());
        assertThat(json.<String>read("$.status")).isEqualTo("STUCK");
        assertThat(json.<List<String>>read("$.steps[*].status")).containsExactly("COMPLETED", "COMPENSATION_FAILED", "COMPENSATED");
        assertThat(json.<Integer>read("$.steps[1].attempts")).isEqualTo(2);
        assertThat(JournalTestApp.CALLS).endsWith("refund attempt 2 failed");
        assertThat(operatorEvents.events).singleElement().isInstanceOfSatisfying(SagaRetriedEvent.class,
                event -> assertThat(event.status()).isEqualTo(SagaStatus.STUCK));
    }

    @Test
    void resolveKeepsTheNoteRunsNothingAndASecondOperationIsAConflict() {
        String id = StuckSagaApps.stuckOrder(context);
        JournalTestApp.CALLS.clear();

        ResponseEntity<String> resolved = post("/actuator/sagas/" + id + "/resolve", "{\"note\":\"refunded by hand, ticket 4711\"}");
        ResponseEntity<String> again = post("/actuator/sagas/" + id + "/resolve", "{\"note\":\"me too\"}");
        ResponseEntity<String> retried = post("/actuator/sagas/" + id + "/retry", null);

        assertThat(resolved.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(JsonPath.parse(resolved.getBody()).<String>read("$.status")).isEqualTo("RESOLVED");
        assertThat(JsonPath.parse(resolved.getBody()).<String>read("$.note")).isEqualTo("refunded by hand, ticket 4711");
        assertThat(again.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
        assertThat(retried.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
        assertThat(JsonPath.parse(retried.getBody()).<String>read("$.status")).isEqualTo("RESOLVED");
        assertThat(JournalTestApp.CALLS).isEmpty();
        assertThat(StuckSagaApps.status(context, id)).isEqualTo("RESOLVED");
        assertThat(operatorEvents.events).singleElement().isInstanceOfSatisfying(SagaResolvedEvent.class, event -> {
            assertThat(event.sagaId()).isEqualTo(id);
            assertThat(event.status()).isEqualTo(SagaStatus.RESOLVED);
            assertThat(event.note()).isEqualTo("refunded by hand, ticket 4711");
        });
    }

    @Test
    void resolveWithoutANoteIsABadRequestAndChangesNothing() {
        String id = StuckSagaApps.stuckOrder(context);

        assertThat(post("/actuator/sagas/" + id + "/resolve", "{\"note\":\"  \"}").getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(post("/actuator/sagas/" + id + "/resolve", "{}").getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(post("/actuator/sagas/" + id + "/resolve", null).getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(StuckSagaApps.status(context, id)).isEqualTo("STUCK");
    }

    @Test
    void retryAndResolvePostedWithNoBodyAndNoContentTypeAreServed() {
        String id = StuckSagaApps.stuckOrder(context);

        ResponseEntity<String> resolved = rest.postForEntity("/actuator/sagas/" + id + "/resolve", null, String.class);
        ResponseEntity<String> retried = rest.postForEntity("/actuator/sagas/" + id + "/retry", null, String.class);
        ResponseEntity<String> again = rest.postForEntity("/actuator/sagas/" + id + "/retry", null, String.class);
        ResponseEntity<String> unknown = rest.postForEntity("/actuator/sagas/no-such-saga/retry", null, String.class);

        assertThat(resolved.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(retried.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(JsonPath.parse(retried.getBody()).<String>read("$.status")).isEqualTo("COMPENSATED");
        assertThat(again.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
        assertThat(unknown.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(StuckSagaApps.status(context, id)).isEqualTo("COMPENSATED");
    }

    @Test
    void retryOrResolveOfASagaThatIsNotStuckIsAConflict() {
        String id = StuckSagaApps.stuckOrder(context);
        assertThat(post("/actuator/sagas/" + id + "/retry", null).getStatusCode()).isEqualTo(HttpStatus.OK);

        assertThat(post("/actuator/sagas/" + id + "/retry", null).getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
        assertThat(post("/actuator/sagas/" + id + "/resolve", "{\"note\":\"late\"}").getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
        assertThat(StuckSagaApps.status(context, id)).isEqualTo("COMPENSATED");
    }

    @Test
    void retryAndResolveAtOnceExactlyOneWinsTheOtherIsAConflict() throws Exception {
        for (int round = 0; round < 5; round++) {
            operatorEvents.events.clear();
            String id = StuckSagaApps.stuckOrder(context);
            CyclicBarrier barrier = new CyclicBarrier(2);
            ExecutorService operators = Executors.newFixedThreadPool(2);
            try {
                Future<ResponseEntity<String>> retry = operators.submit(() -> {
                    barrier.await(10, TimeUnit.SECONDS);
                    return post("/actuator/sagas/" + id + "/retry", null);
                });
                Future<ResponseEntity<String>> resolve = operators.submit(() -> {
                    barrier.await(10, TimeUnit.SECONDS);
                    return post("/actuator/sagas/" + id + "/resolve", "{\"note\":\"closed by hand\"}");
                });
                List<HttpStatus> statuses = new ArrayList<>();
                statuses.add((HttpStatus) retry.get(30, TimeUnit.SECONDS).getStatusCode());
                statuses.add((HttpStatus) resolve.get(30, TimeUnit.SECONDS).getStatusCode());

                assertThat(statuses).containsExactlyInAnyOrder(HttpStatus.OK, HttpStatus.CONFLICT);
                String expected = statuses.get(0) == HttpStatus.OK ? "COMPENSATED" : "RESOLVED";
                assertThat(StuckSagaApps.status(context, id)).isEqualTo(expected);
                assertThat(operatorEvents.events).singleElement().extracting(event -> event.status().name()).isEqualTo(expected);
            } finally {
                operators.shutdownNow();
            }
        }
    }

    @Test
    void healthContributorReversibleAndTheGaugeCountTheStuckSagasOverHttp() {
        StuckSagaApps.stuckOrder(context);
        context.getBean(StuckSagaCount.class).refresh();
        long stuck = JournalTestApp.jdbc(context).sql("SELECT COUNT(*) FROM reversible_sagas WHERE status = 'STUCK'")
                .query(Long.class).single();

        ResponseEntity<String> health = rest.getForEntity("/actuator/health/reversible", String.class);
        DocumentContext gauge = JsonPath.parse(rest.getForObject("/actuator/metrics/reversible.saga.stuck", String.class));

        assertThat(health.getStatusCode()).isEqualTo(HttpStatus.OK);
        DocumentContext json = JsonPath.parse(health.getBody());
        assertThat(json.<String>read("$.status")).isEqualTo("UP");
        assertThat(json.<Number>read("$.details.stuck").longValue()).isEqualTo(stuck).isPositive();
        assertThat(json.<String>read("$.details.journal")).isEqualTo("reachable");
        assertThat(java.time.Duration.parse(json.<String>read("$.details.oldestStuck")).isNegative()).isFalse();
        assertThat(gauge.<Number>read("$.measurements[0].value").doubleValue()).isEqualTo(stuck);
        assertThat(JsonPath.parse(rest.getForObject("/actuator/health", String.class)).<String>read("$.status")).isEqualTo("UP");
    }

    @Test
    void cancelOfARunningSagaAnswersItRunningStopsItAtItsNextStepBoundaryAndCompensatesEveryStepOnce() throws Exception {
        JournalTestApp.Shipping.hold = new java.util.concurrent.CountDownLatch(1);
        JournalTestApp.Orders orders = context.getBean(JournalTestApp.Orders.class);
        // The held saga gets a thread of its own, not the common pool's: on two cores that pool has one worker, and on
        // JDK 25 this test's HTTP requests (the JDK client under TestRestTemplate) waited for it until the hold timed out.
        ExecutorService sagaThread = Executors.newSingleThreadExecutor();
        java.util.concurrent.CompletableFuture<Throwable> placed = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                orders.place("BOOK-7");
                return null;
            } catch (Throwable failure) {
                return failure;
            }
        }, sagaThread);
        sagaThread.shutdown();
        assertThat(JournalTestApp.Shipping.holding.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        String id = JsonPath.parse(rest.getForObject("/actuator/sagas?status=RUNNING", String.class)).<List<String>>read("$.sagas[*].id").get(0);

        ResponseEntity<String> cancelled = rest.postForEntity("/actuator/sagas/" + id + "/cancel", null, String.class);

        assertThat(cancelled.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(JsonPath.parse(cancelled.getBody()).<String>read("$.status")).isEqualTo("RUNNING");
        assertThat(JsonPath.parse(cancelled.getBody()).<String>read("$.id")).isEqualTo(id);
        JournalTestApp.Shipping.hold.countDown();
        assertThat(placed.get(10, java.util.concurrent.TimeUnit.SECONDS)).isInstanceOf(dev.reversible.core.SagaCancelledException.class);
        assertThat(JournalTestApp.CALLS).containsExactly("reserve", "charge", "ship", "undo ship #2 result=S-BOOK-7 failure=null",
                "undo charge #1 result=C-alice failure=null attempt=1", "undo reserve #0 result=R-BOOK-7-2 failure=null");
        assertThat(StuckSagaApps.status(context, id)).isEqualTo("COMPENSATED");
        assertThat(operatorEvents.events).singleElement().isInstanceOfSatisfying(SagaCancelledEvent.class, event -> {
            assertThat(event.sagaId()).isEqualTo(id);
            assertThat(event.operation()).isEqualTo("cancel");
            assertThat(event.status()).isEqualTo(SagaStatus.RUNNING);
        });
        ResponseEntity<String> again = rest.postForEntity("/actuator/sagas/" + id + "/cancel", null, String.class);
        assertThat(again.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
        assertThat(JsonPath.parse(again.getBody()).<String>read("$.message"))
                .isEqualTo("Saga " + id + " is COMPENSATED, not RUNNING: nothing was cancelled");
    }

    @Test
    void cancelOfASagaThatIsNotRunningIsAConflictAndOfAnUnknownOneNotFound() {
        String id = StuckSagaApps.stuckOrder(context);
        JournalTestApp.CALLS.clear();

        ResponseEntity<String> stuck = rest.postForEntity("/actuator/sagas/" + id + "/cancel", null, String.class);

        assertThat(stuck.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
        assertThat(JsonPath.parse(stuck.getBody()).<String>read("$.status")).isEqualTo("STUCK");
        assertThat(rest.postForEntity("/actuator/sagas/no-such-saga/cancel", null, String.class).getStatusCode())
                .isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(StuckSagaApps.status(context, id)).isEqualTo("STUCK");
        assertThat(JournalTestApp.CALLS).isEmpty();
        assertThat(operatorEvents.events).isEmpty();
    }

    private ResponseEntity<String> post(String path, String json) {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        return rest.postForEntity(path, new HttpEntity<>(json, headers), String.class);
    }
}
