package dev.reversible.spring.autoconfigure;

import dev.reversible.spring.actuate.endpoint.SagasEndpoint;
import dev.reversible.spring.actuate.endpoint.SagasEndpointWebExtension;
import dev.reversible.spring.jdbc.SagaOperations;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The {@code sagas} actuator endpoint, when the journal is wired ({@code reversible-jdbc} and a
 * {@code DataSource}), actuator is present and the endpoint is available. Read-only unless
 * {@code management.endpoint.sagas.access=unrestricted}.
 *
 * <pre>{@code
 * management.endpoints.web.exposure.include=health,sagas
 * management.endpoint.sagas.access=unrestricted
 * }</pre>
 */
@AutoConfiguration(after = ReversibleJdbcAutoConfiguration.class)
@ConditionalOnClass(name = { "org.springframework.boot.actuate.endpoint.annotation.Endpoint", "dev.reversible.jdbc.JdbcJournal" })
@ConditionalOnBean(SagaOperations.class)
@ConditionalOnAvailableEndpoint(SagasEndpoint.class)
@EnableConfigurationProperties(SagasEndpointProperties.class)
public final class SagasEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    SagasEndpoint sagasEndpoint(SagaOperations sagaOperations, SagasEndpointProperties properties) {
        return new SagasEndpoint(sagaOperations, properties.showValues(), properties.roles());
    }

    @Bean
    @ConditionalOnMissingBean
    SagasEndpointWebExtension sagasEndpointWebExtension(SagasEndpoint sagasEndpoint) {
        return new SagasEndpointWebExtension(sagasEndpoint);
    }
}
