package dev.reversible.spring.console;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import dev.reversible.spring.jdbc.ConsoleTestApp;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console over real HTTP, in a whole application on a random port: served only when enabled (404
 * otherwise), at the configured path, with its script and style sheet from the jar, the {@code sagas}
 * endpoint's path and access filled in, and a policy that forbids inline scripts.
 */
class ConsolePageHttpTests {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void consoleIsNotServedUnlessEnabled() throws Exception {
        try (ConfigurableApplicationContext app = start("management.endpoints.web.exposure.include=sagas")) {
            assertThat(get(app, "/reversible/console").statusCode()).isEqualTo(404);
            assertThat(get(app, "/reversible/console/console.js").statusCode()).isEqualTo(404);
            assertThat(get(app, "/actuator/sagas").statusCode()).as("the endpoint itself is there").isEqualTo(200);
        }
    }

    @Test
    void enabledConsoleIsServedWithTheEndpointsPathAndAccessAndItsFilesFromTheJar() throws Exception {
        try (ConfigurableApplicationContext app = start("reversible.console.enabled=true",
                "management.endpoints.web.exposure.include=sagas", "management.endpoint.sagas.access=unrestricted")) {
            HttpResponse<String> page = get(app, "/reversible/console");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
            assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
                    policy -> assertThat(policy).contains("script-src 'self'").doesNotContain("unsafe-inline"));
            assertThat(page.body()).contains("data-endpoint=\"/actuator/sagas\"", "data-access=\"unrestricted\"",
                    "src=\"/reversible/console/console.js\"", "href=\"/reversible/console/console.css\"")
                    .doesNotContain("{{", "http://", "https://");
            HttpResponse<String> script = get(app, "/reversible/console/console.js");
            assertThat(script.statusCode()).isEqualTo(200);
            assertThat(script.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/javascript"));
            assertThat(script.body()).contains("textContent").doesNotContain("innerHTML", "insertAdjacentHTML", "https://");
            assertThat(script.body().replace("'http://www.w3.org/2000/svg'", "")).as("nothing fetched from elsewhere")
                    .doesNotContain("http://");
            assertThat(get(app, "/reversible/console/console.css").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void consoleSaysReadOnlyAndNotExposedAsTheActuatorIsConfigured() throws Exception {
        try (ConfigurableApplicationContext app = start("reversible.console.enabled=true", "management.endpoints.web.exposure.include=sagas")) {
            assertThat(get(app, "/reversible/console").body()).contains("data-endpoint=\"/actuator/sagas\"", "data-access=\"read-only\"");
        }
        try (ConfigurableApplicationContext app = start("reversible.console.enabled=true", "management.endpoints.web.exposure.include=health",
                "management.endpoint.sagas.access=unrestricted")) {
            assertThat(get(app, "/reversible/console").body()).contains("data-endpoint=\"\"", "data-access=\"none\"");
        }
    }

    @Test
    void consoleFollowsItsPathTheContextPathAndTheActuatorsBasePath() throws Exception {
        try (ConfigurableApplicationContext app = start("reversible.console.enabled=true", "reversible.console.path=/ops/sagas/",
                "server.servlet.context-path=/shop", "management.endpoints.web.base-path=/manage",
                "management.endpoints.web.exposure.include=sagas")) {
            assertThat(get(app, "/shop/reversible/console").statusCode()).isEqualTo(404);
            HttpResponse<String> page = get(app, "/shop/ops/sagas");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("data-endpoint=\"/shop/manage/sagas\"", "src=\"/shop/ops/sagas/console.js\"");
            assertThat(get(app, "/shop/ops/sagas/console.js").statusCode()).isEqualTo(200);
        }
    }

    private static ConfigurableApplicationContext start(String... properties) {
        return new SpringApplicationBuilder(ConsoleTestApp.class).properties("server.port=0",
                "spring.datasource.url=jdbc:h2:mem:console-" + java.util.UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                "spring.datasource.generate-unique-name=false", "spring.main.banner-mode=off").properties(properties).run();
    }

    private HttpResponse<String> get(ConfigurableApplicationContext app, String path) throws IOException, InterruptedException {
        int port = ((WebServerApplicationContext) app).getWebServer().getPort();
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
