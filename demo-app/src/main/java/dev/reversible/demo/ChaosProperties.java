package dev.reversible.demo;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Switches that break the demo on purpose: to show what a failed compensation looks like, and what the journal
 * does with a saga whose JVM died.
 *
 * <pre>{@code
 * ./mvnw -pl demo-app -am spring-boot:run -Dspring-boot.run.arguments=--demo.chaos.fail-refund=true
 * ./mvnw -pl demo-app -am spring-boot:run -Dspring-boot.run.arguments=--demo.chaos.crash-after=chargeAccount
 * }</pre>
 *
 * @param failRefund Whether refunding a charged account fails, so that a rolled-back order leaves its
 *     charge and its stock reservation un-compensated (visible as compensationFailed on /actuator/reversible).
 * @param crashAfter The action name (createOrder, reserveStock, chargeAccount, bookShipment, confirmOrder) after whose
 *     completion the JVM halts at once, as under kill -9: no shutdown hook, no saga end written. Empty: never.
 */
@ConfigurationProperties("demo.chaos")
public record ChaosProperties(boolean failRefund, String crashAfter) {

    /**
     * @param action a step's action name
     * @return whether the JVM is to halt once that step has completed
     */
    public boolean crashesAfter(String action) {
        return crashAfter != null && !crashAfter.isBlank() && crashAfter.strip().equals(action);
    }
}
