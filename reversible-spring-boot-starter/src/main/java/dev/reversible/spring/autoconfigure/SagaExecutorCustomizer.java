package dev.reversible.spring.autoconfigure;

import dev.reversible.core.SagaExecutor;

/**
 * Customizes the auto-configured {@link SagaExecutor} before it is built — the way to change it while
 * keeping the statistics, metrics, endpoint and log lines, which are listeners of that executor.
 * Customizers run in {@code @Order} order, after the properties and the {@code SagaListener} beans are applied.
 *
 * <pre>{@code
 * @Bean
 * SagaExecutorCustomizer auditTrail(AuditLog audit) {
 *     return builder -> builder.listener(new AuditingSagaListener(audit));
 * }
 * }</pre>
 */
@FunctionalInterface
public interface SagaExecutorCustomizer {

    /** @param builder the builder of the auto-configured executor */
    void customize(SagaExecutor.Builder builder);
}
