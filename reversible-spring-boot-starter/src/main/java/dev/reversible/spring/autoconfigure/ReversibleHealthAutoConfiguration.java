package dev.reversible.spring.autoconfigure;

import dev.reversible.spring.health.ReversibleHealthIndicator;
import dev.reversible.spring.jdbc.StuckSagaCount;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.annotation.Bean;

/**
 * The health contributor {@code reversible} (the journal's stuck sagas), when the journal is wired and
 * {@code spring-boot-health} is present; off with {@code management.health.reversible.enabled=false}. It is in
 * no health group of its own making (not readiness): a stuck saga waits for an operator, it does not make
 * the instance unable to serve.
 *
 * <pre>{@code
 * reversible.jdbc.health.stuck-status=OUT_OF_SERVICE   # UP by default
 * }</pre>
 */
@AutoConfiguration(after = ReversibleJdbcAutoConfiguration.class)
@ConditionalOnClass(name = { "org.springframework.boot.health.contributor.HealthIndicator", "dev.reversible.jdbc.JdbcJournal" })
@ConditionalOnBean(StuckSagaCount.class)
@ConditionalOnEnabledHealthIndicator("reversible")
public final class ReversibleHealthAutoConfiguration {

    /** Named so that the contributor is {@code reversible}. */
    @Bean
    @ConditionalOnMissingBean(name = "reversibleHealthIndicator")
    ReversibleHealthIndicator reversibleHealthIndicator(StuckSagaCount stuckSagaCount, ReversibleJdbcProperties properties) {
        return new ReversibleHealthIndicator(stuckSagaCount, new Status(properties.health().stuckStatus()));
    }
}
