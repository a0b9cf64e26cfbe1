package dev.reversible.spring.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Supplier;

import org.springframework.beans.BeanWrapperImpl;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Serves the console: the page at the configured path, its script and its style sheet below it. The page is
 * a template with the {@code sagas} endpoint's path and access, and the request's CSRF token when Spring
 * Security made one, filled in (as attribute values, escaped); everything the script shows of a saga it reads
 * from the endpoint and renders as text. The responses forbid inline scripts (a {@code Content-Security-Policy}
 * of {@code 'self'}), so text from the journal can never run as code.
 *
 * <pre>{@code
 * RouterFunction<ServerResponse> routes = new ConsolePage("/reversible/console", () -> access).routes();
 * }</pre>
 */
public final class ConsolePage {

    /** Where the page's files are in the jar. */
    static final String LOCATION = "dev/reversible/spring/console/";

    private static final String SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

    /** The request attribute under which Spring Security leaves the CSRF token (a {@code CsrfToken}). */
    private static final String CSRF_ATTRIBUTE = "_csrf";

    private final String path;
    private final Supplier<SagasEndpointAccess> endpoint;
    private final String template;
    private final String script;
    private final String styles;

    /**
     * @param path the page's path below the servlet context path, normalized ({@link ConsoleProperties})
     * @param endpoint where the {@code sagas} endpoint is and whether it is writable, asked at each request
     *     (the actuator's endpoints are known only once the context has started)
     */
    public ConsolePage(String path, Supplier<SagasEndpointAccess> endpoint) {
        this.path = path;
        this.endpoint = endpoint;
        this.template = read("console.html");
        this.script = read("console.js");
        this.styles = read("console.css");
    }

    /** @return the page's routes: the page, {@code console.js} and {@code console.css} below it */
    public RouterFunction<ServerResponse> routes() {
        return RouterFunctions.route()
                .GET(path, this::page)
                .GET(path + "/console.js", request -> file(script, "text/javascript"))
                .GET(path + "/console.css", request -> file(styles, "text/css"))
                .build();
    }

    private ServerResponse page(ServerRequest request) {
        String contextPath = request.requestPath().contextPath().value();
        SagasEndpointAccess access = endpoint.get();
        Map<String, String> values = new java.util.LinkedHashMap<>();
        values.put("assets", contextPath + path);
        values.put("endpoint", access.exposed() ? contextPath + access.path() : "");
        values.put("access", !access.exposed() ? "none" : access.writable() ? "unrestricted" : "read-only");
        String[] csrf = csrf(request);
        values.put("csrfHeader", csrf[0]);
        values.put("csrfToken", csrf[1]);
        String html = template;
        for (Map.Entry<String, String> value : values.entrySet()) {
            html = html.replace("{{" + value.getKey() + "}}", escape(value.getValue()));
        }
        return ServerResponse.ok().contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
                .cacheControl(CacheControl.noStore()).headers(ConsolePage::secure).body(html);
    }

    private static ServerResponse file(String content, String type) {
        return ServerResponse.ok().contentType(new MediaType(MediaType.parseMediaType(type), StandardCharsets.UTF_8))
                .cacheControl(CacheControl.noCache()).headers(ConsolePage::secure).body(content);
    }

    private static void secure(org.springframework.http.HttpHeaders headers) {
        headers.set("Content-Security-Policy", SECURITY_POLICY);
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Referrer-Policy", "same-origin");
    }

    /** The header name and value of Spring Security's CSRF token for this request, read without a compile-time dependency. */
    private static String[] csrf(ServerRequest request) {
        Object token = request.attribute(CSRF_ATTRIBUTE).orElse(null);
        if (token == null) {
            return new String[] { "", "" };
        }
        try {
            BeanWrapperImpl properties = new BeanWrapperImpl(token);
            Object header = properties.getPropertyValue("headerName");
            Object value = properties.getPropertyValue("token");
            return header == null || value == null ? new String[] { "", "" } : new String[] { header.toString(), value.toString() };
        } catch (RuntimeException e) {
            return new String[] { "", "" };
        }
    }

    /** Escapes a value for an HTML attribute in double quotes, or for text. */
    static String escape(String value) {
        StringBuilder escaped = new StringBuilder(value.length());
        for (char c : value.toCharArray()) {
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }

    private static String read(String name) {
        try (InputStream in = ConsolePage.class.getClassLoader().getResourceAsStream(LOCATION + name)) {
            if (in == null) {
                throw new IllegalStateException("The console's " + name + " is missing from the jar (" + LOCATION + name + ")");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
