package dev.reversible.spring.console;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The saga console's settings.
 *
 * <pre>{@code
 * reversible.console.enabled=true
 * reversible.console.path=/ops/sagas
 * }</pre>
 *
 * @param enabled Whether to serve the saga console page (servlet web applications only). It reads and writes through the 'sagas' actuator endpoint, which must be exposed.
 * @param path Path of the saga console page, below the servlet context path.
 */
@ConfigurationProperties("reversible.console")
public record ConsoleProperties(@DefaultValue("false") boolean enabled, @DefaultValue("/reversible/console") String path) {

    /** Normalizes the path: one leading slash, no trailing one. */
    public ConsoleProperties {
        String trimmed = path == null || path.isBlank() ? "/reversible/console" : path.trim();
        while (trimmed.length() > 1 && trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        if (!trimmed.startsWith("/")) {
            trimmed = "/" + trimmed;
        }
        if (trimmed.equals("/")) {
            throw new IllegalArgumentException("reversible.console.path must not be the root path '/'");
        }
        path = trimmed;
    }
}
