package dev.reversible.spring.jdbc;

import java.util.Map;

import com.jayway.jsonpath.JsonPath;
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
 * The {@code sagas} endpoint as it comes by default — read-only, with {@code show-values=always} here: the
 * reads answer, a POST changes nothing (Boot maps no write operation, so the path is not found), and the
 * messages are shown as the application asked.
 */
@SpringBootTest(classes = StuckSagaApps.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:sagas-endpoint-read-only;DB_CLOSE_DELAY=-1", "spring.datasource.generate-unique-name=false",
        "management.endpoints.web.exposure.include=sagas", "management.endpoint.sagas.show-values=always",
        "reversible.jdbc.retry.max-attempts=0" })
@AutoConfigureTestRestTemplate
@DirtiesContext
class SagasEndpointReadOnlyTests {

    @Autowired
    private TestRestTemplate rest;

    @Autowired
    private ApplicationContext context;

    @BeforeEach
    void setUp() {
        JournalTestApp.reset();
    }

    @Test
    void writeOperationsAreAbsentUnlessOptedInAndThePostChangesNothing() {
        String id = StuckSagaApps.stuckOrder(context);

        ResponseEntity<String> retry = post("/actuator/sagas/" + id + "/retry", null);
        ResponseEntity<String> resolve = post("/actuator/sagas/" + id + "/resolve", "{\"note\":\"closed\"}");

        assertThat(retry.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(resolve.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(StuckSagaApps.status(context, id)).isEqualTo("STUCK");
        assertThat(context.getBean(StuckSagaApps.OperatorEvents.class).events).isEmpty();
        assertThat(rest.getForEntity("/actuator/sagas/{id}", String.class, id).getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(rest.getForEntity("/actuator/sagas?status=STUCK", String.class).getStatusCode()).isEqualTo(HttpStatus.OK);
    }

    @Test
    void showValuesAlwaysShowsTheMessagesButStillNoArgumentOrStackTrace() {
        String id = StuckSagaApps.stuckOrder(context);

        String body = rest.getForObject("/actuator/sagas/{id}", String.class, id);

        assertThat(JsonPath.parse(body).<Map<String, Object>>read("$.lastError")).containsExactlyInAnyOrderEntriesOf(
                Map.of("class", IllegalStateException.class.getName(), "message", "payment provider down"));
        assertThat(JsonPath.parse(body).<String>read("$.steps[2].lastError.message")).isEqualTo("no courier for Alice at 12 Secret Street");
        assertThat(body).doesNotContain(StuckSagaApps.SECRET_SKU, "SECRET", "at dev.reversible");
    }

    private ResponseEntity<String> post(String path, String json) {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        return rest.postForEntity(path, new HttpEntity<>(json, headers), String.class);
    }
}
