package dev.reversible.spring.jdbc;

import java.security.Principal;
import java.util.Map;
import java.util.Set;

import dev.reversible.spring.actuate.endpoint.SagaDescriptor;
import dev.reversible.spring.actuate.endpoint.SagasEndpoint;
import dev.reversible.spring.actuate.endpoint.SagasEndpointWebExtension;
import dev.reversible.spring.autoconfigure.SagasEndpointAutoConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the {@code sagas} endpoint exists (the journal wired, the endpoint exposed), and how
 * {@code show-values=when-authorized} decides per caller, with {@code management.endpoint.sagas.roles}.
 */
class SagasEndpointConfigurationTests {

    @BeforeEach
    void reset() {
        JournalTestApp.reset();
    }

    private ApplicationContextRunner runner() {
        return JournalTestApp.runner(JournalTestApp.newDatabaseUrl())
                .withConfiguration(AutoConfigurations.of(SagasEndpointAutoConfiguration.class))
                .withUserConfiguration(JournalTestApp.Shop.class)
                .withPropertyValues("management.endpoints.web.exposure.include=sagas", "reversible.jdbc.retry.max-attempts=0");
    }

    @Test
    void endpointExistsWhenTheJournalIsWiredAndTheEndpointExposed() {
        runner().run(context -> assertThat(context).hasSingleBean(SagasEndpoint.class).hasSingleBean(SagasEndpointWebExtension.class)
                .hasSingleBean(SagaOperations.class));
    }

    @Test
    void noEndpointWithoutTheJournal() {
        runner().withPropertyValues("reversible.jdbc.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(SagasEndpoint.class).doesNotHaveBean(SagaOperations.class));
        runner().withClassLoader(new FilteredClassLoader("dev.reversible.jdbc"))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(SagasEndpoint.class));
    }

    @Test
    void noEndpointUnlessExposed() {
        runner().withPropertyValues("management.endpoints.web.exposure.include=health")
                .run(context -> assertThat(context).hasSingleBean(SagaOperations.class).doesNotHaveBean(SagasEndpoint.class));
    }

    @Test
    void whenAuthorizedShowsMessagesOnlyToAUserInOneOfTheRoles() {
        runner().withPropertyValues("management.endpoint.sagas.show-values=when-authorized", "management.endpoint.sagas.roles=OPERATOR")
                .run(context -> {
                    String id = StuckSagaApps.stuckOrder(context);
                    SagasEndpoint endpoint = context.getBean(SagasEndpoint.class);

                    assertThat(message(endpoint.saga(SecurityContext.NONE, id))).isEqualTo(SagaDescriptor.HIDDEN);
                    assertThat(message(endpoint.saga(user(Set.of("VIEWER")), id))).isEqualTo(SagaDescriptor.HIDDEN);
                    assertThat(message(endpoint.saga(user(Set.of("OPERATOR")), id))).isEqualTo("payment provider down");
                });
    }

    private static String message(SagaDescriptor saga) {
        Map<String, String> error = saga.lastError();
        return error.get("message");
    }

    private static SecurityContext user(Set<String> roles) {
        return new SecurityContext() {
            @Override
            public Principal getPrincipal() {
                return () -> "operator";
            }

            @Override
            public boolean isUserInRole(String role) {
                return roles.contains(role);
            }
        };
    }
}
