package dev.reversible.demo;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Switches that break the demo on purpose, to show what a failed compensation looks like.
 *
 * <pre>{@code
 * ./mvnw -pl demo-app -am spring-boot:run -Dspring-boot.run.arguments=--demo.chaos.fail-refund=true
 * }</pre>
 *
 * @param failRefund Whether refunding a charged account fails, so that a rolled-back order leaves its
 *     charge and its stock reservation un-compensated (visible as compensationFailed on /actuator/reversible).
 */
@ConfigurationProperties("demo.chaos")
public record ChaosProperties(boolean failRefund) {
}
