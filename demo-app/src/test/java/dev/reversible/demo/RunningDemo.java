package dev.reversible.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The demo started in this JVM as {@code main} would start it — its own properties, a real port, a database
 * URL of the test's choosing (an H2 file in a temporary directory, or a PostgreSQL schema of the test run's
 * own) — and a plain HTTP client for it. Closing it shuts the demo down gracefully.
 *
 * <pre>{@code
 * try (RunningDemo demo = RunningDemo.start(url, "--demo.reset=true")) {
 *     demo.postOrder("alice", "BOOK-1", 2, "DE");   // 201
 * }
 * }</pre>
 */
final class RunningDemo implements AutoCloseable {

    /** Keeps the scale of amounts ({@code 25.00}), so that they compare exactly. */
    static final JsonMapper JSON = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final ConfigurableApplicationContext context;
    private final String base;

    private RunningDemo(ConfigurableApplicationContext context) {
        this.context = context;
        this.base = "http://localhost:" + context.getEnvironment().getProperty("local.server.port");
    }

    /**
     * @param url the database's JDBC URL
     * @param arguments more command-line arguments
     * @return the started demo, on a random port
     */
    static RunningDemo start(String url, String... arguments) {
        List<String> args = new ArrayList<>(List.of("--spring.datasource.url=" + url, "--server.port=0"));
        args.addAll(List.of(arguments));
        return new RunningDemo(new SpringApplicationBuilder(DemoApplication.class).run(args.toArray(String[]::new)));
    }

    ConfigurableApplicationContext context() {
        return context;
    }

    /** A response: status and parsed body. */
    record Reply(int status, JsonNode body) {

        String text(String field) {
            JsonNode node = body.get(field);
            return node == null || node.isNull() ? null : node.stringValue();
        }
    }

    Reply postOrder(String customer, String sku, int quantity, String country) {
        String json = "{\"customer\":\"" + customer + "\",\"sku\":\"" + sku + "\",\"quantity\":" + quantity + ",\"country\":\"" + country + "\"}";
        return send(HttpRequest.newBuilder(URI.create(base + "/orders")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /**
     * A POST with a JSON body. The {@code Content-Type} is always sent, also with an empty body: the actuator's
     * {@code sagas} write operations answer 415 to a POST without one.
     */
    Reply post(String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    Reply get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    int stock(String sku) {
        return get("/inventory/" + sku).body().get("stock").intValue();
    }

    BigDecimal balance(String customer) {
        return get("/accounts/" + customer).body().get("balance").decimalValue();
    }

    static Reply send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body().isEmpty() ? JSON.missingNode() : JSON.readTree(response.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        context.close();
    }
}
