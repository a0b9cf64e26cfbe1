package dev.reversible.demo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The demo AOT-processed and started on the JVM with {@code -Dspring.aot.enabled=true}: its context comes from
 * the generated initializer instead of classpath scanning and condition evaluation, and an order placed over HTTP
 * still runs its saga to the end. Needs {@code process-aot} to have run first (the {@code aot} profile runs it
 * before the tests, and then a missing initializer fails this test); without the profile and the generated classes it is
 * skipped with that reason:
 *
 * <pre>{@code
 * ./mvnw -B -Paot -pl demo-app -am test -Dtest=AotStartTests -Dsurefire.failIfNoSpecifiedTests=false
 * }</pre>
 */
class AotStartTests {

    /** What {@code process-aot} generates for the application class: the context's bean definitions as code. */
    private static final String INITIALIZER = DemoApplication.class.getName() + "__ApplicationContextInitializer";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @TempDir
    Path directory;

    @Test
    void theAotProcessedDemoPlacesAnOrder() throws Exception {
        boolean processed = ClassUtils.isPresent(INITIALIZER, getClass().getClassLoader());
        if (Boolean.getBoolean("demo.aot.processed")) {
            assertThat(processed).as("the aot profile ran process-aot, yet " + INITIALIZER + " is missing").isTrue();
        }
        assumeTrue(processed, "the demo was not AOT-processed (no " + INITIALIZER + "): run with -Paot to process it and start it"
                + " with spring.aot.enabled");
        try (ChildDemo child = ChildDemo.start(directory, line -> { }, List.of("-Dspring.aot.enabled=true"))) {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + child.port() + "/orders"))
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"customer\":\"alice\",\"sku\":\"BOOK-1\",\"quantity\":2,\"country\":\"DE\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
            assertThat(response.body()).contains("\"status\":\"CONFIRMED\"");
            // The AOT initializer, not a regular start, built the context.
            assertThat(child.output()).anyMatch(line -> line.contains("AOT-processed"));
        }
    }
}
