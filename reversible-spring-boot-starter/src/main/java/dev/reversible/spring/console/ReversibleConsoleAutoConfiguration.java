package dev.reversible.spring.console;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.EndpointAccessResolver;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The saga console ({@link ConsolePage}), off by default: {@code reversible.console.enabled=true} serves it at
 * {@code reversible.console.path} ({@code /reversible/console}) in a servlet web application with Spring MVC
 * and actuator, never in a reactive one. The page finds the {@code sagas} endpoint through the actuator's
 * path mappings (so {@code management.endpoints.web.base-path} and path mappings apply) and its access
 * through the actuator's access resolver ({@code management.endpoint.sagas.access},
 * {@code management.endpoints.access.max-permitted}).
 *
 * <pre>{@code
 * reversible.console.enabled=true
 * management.endpoints.web.exposure.include=health,sagas
 * management.endpoint.sagas.access=unrestricted   # retry and resolve; read-only without it
 * }</pre>
 */
@AutoConfiguration(afterName = { "org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration",
        "dev.reversible.spring.autoconfigure.SagasEndpointAutoConfiguration" })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(name = { "org.springframework.web.servlet.function.RouterFunction",
        "org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints" })
@ConditionalOnBooleanProperty(name = "reversible.console.enabled")
@EnableConfigurationProperties(ConsoleProperties.class)
public final class ReversibleConsoleAutoConfiguration {

    private static final EndpointId SAGAS = EndpointId.of("sagas");

    @Bean
    @ConditionalOnMissingBean
    ConsolePage reversibleConsolePage(ConsoleProperties properties, ObjectProvider<PathMappedEndpoints> pathMappedEndpoints,
            ObjectProvider<EndpointAccessResolver> accessResolver) {
        return new ConsolePage(properties.path(), () -> {
            PathMappedEndpoints endpoints = pathMappedEndpoints.getIfAvailable();
            String path = endpoints == null ? null : endpoints.getPath(SAGAS);
            if (path == null) {
                return SagasEndpointAccess.NOT_EXPOSED;
            }
            EndpointAccessResolver resolver = accessResolver.getIfAvailable();
            Access access = resolver == null ? Access.READ_ONLY : resolver.accessFor(SAGAS, Access.READ_ONLY);
            return new SagasEndpointAccess(path, access == Access.UNRESTRICTED);
        });
    }

    @Bean
    RouterFunction<ServerResponse> reversibleConsoleRoutes(ConsolePage reversibleConsolePage) {
        return reversibleConsolePage.routes();
    }
}
