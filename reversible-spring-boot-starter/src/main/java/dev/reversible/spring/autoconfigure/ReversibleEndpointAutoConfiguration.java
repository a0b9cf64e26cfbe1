package dev.reversible.spring.autoconfigure;

import dev.reversible.spring.actuate.endpoint.ReversibleEndpoint;
import dev.reversible.spring.statistics.SagaStatistics;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The {@code reversible} actuator endpoint, when actuator is present and the endpoint is available
 * (exposed by Boot's usual {@code management.endpoints.web.exposure.include}).
 *
 * <pre>{@code
 * management.endpoints.web.exposure.include=health,metrics,reversible
 * management.endpoint.reversible.show-values=when-authorized
 * }</pre>
 */
@AutoConfiguration(after = ReversibleAutoConfiguration.class)
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean(SagaStatistics.class)
@ConditionalOnAvailableEndpoint(ReversibleEndpoint.class)
@EnableConfigurationProperties(ReversibleEndpointProperties.class)
public final class ReversibleEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ReversibleEndpoint reversibleEndpoint(SagaStatistics statistics, ReversibleEndpointProperties properties) {
        return new ReversibleEndpoint(statistics, properties.showValues(), properties.roles());
    }
}
