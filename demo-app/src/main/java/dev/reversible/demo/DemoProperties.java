package dev.reversible.demo;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How the demo treats the data it finds at start-up.
 *
 * <pre>{@code
 * ./mvnw -pl demo-app -am spring-boot:run -Dspring-boot.run.arguments=--demo.reset=true
 * }</pre>
 *
 * @param reset Whether to drop the demo's tables and seed them again at start-up, forgetting the journal's sagas
 *     (they belong to orders that no longer exist). Without it the tables are seeded only when they are empty.
 */
@ConfigurationProperties("demo")
public record DemoProperties(boolean reset) {
}
