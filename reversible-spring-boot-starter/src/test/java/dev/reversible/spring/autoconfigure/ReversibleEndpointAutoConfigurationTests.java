package dev.reversible.spring.autoconfigure;

import java.util.Set;

import dev.reversible.spring.actuate.endpoint.ReversibleEndpoint;
import dev.reversible.spring.statistics.SagaStatistics;

import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ReversibleEndpointAutoConfiguration}: the endpoint bean exists only when actuator is
 * present and the endpoint is available (accessible and exposed).
 */
class ReversibleEndpointAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ReversibleAutoConfiguration.class, ReversibleEndpointAutoConfiguration.class));

    @Test
    void runWhenExposedShouldHaveEndpointBeanReadingTheStatistics() {
        this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=reversible").run(context -> {
            assertThat(context).hasSingleBean(ReversibleEndpoint.class);
            context.getBean(SagaStatistics.class).saga("Shop.order");
            assertThat(context.getBean(ReversibleEndpoint.class).reversible().sagas()).containsOnlyKeys("Shop.order");
        });
    }

    @Test
    void showValuesAndRolesBindToTheEndpoint() {
        this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=reversible").run(context ->
                assertThat(context.getBean(ReversibleEndpointProperties.class)).isEqualTo(new ReversibleEndpointProperties(Show.NEVER, Set.of())));
        this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=reversible",
                "management.endpoint.reversible.show-values=when-authorized", "management.endpoint.reversible.roles=OPERATOR,AUDITOR")
                .run(context -> assertThat(context.getBean(ReversibleEndpointProperties.class))
                        .isEqualTo(new ReversibleEndpointProperties(Show.WHEN_AUTHORIZED, Set.of("OPERATOR", "AUDITOR"))));
    }

    @Test
    void runWhenExposedOverJmxShouldHaveEndpointBean() {
        this.contextRunner.withPropertyValues("spring.jmx.enabled=true", "management.endpoints.jmx.exposure.include=reversible")
                .run(context -> assertThat(context).hasSingleBean(ReversibleEndpoint.class));
    }

    @Test
    void runWhenNotExposedShouldNotHaveEndpointBean() {
        this.contextRunner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(SagaStatistics.class);
            assertThat(context).doesNotHaveBean(ReversibleEndpoint.class);
        });
    }

    @Test
    void runWhenExposedButAccessIsNoneShouldNotHaveEndpointBean() {
        this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=reversible", "management.endpoint.reversible.access=NONE")
                .run(context -> assertThat(context).doesNotHaveBean(ReversibleEndpoint.class));
    }

    @Test
    void runWhenExposedButExcludedShouldNotHaveEndpointBean() {
        this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=*", "management.endpoints.web.exposure.exclude=reversible")
                .run(context -> assertThat(context).doesNotHaveBean(ReversibleEndpoint.class));
    }

    @Test
    void runWithoutActuatorShouldNotHaveEndpointBean() {
        this.contextRunner.withClassLoader(new FilteredClassLoader(Endpoint.class))
                .withPropertyValues("management.endpoints.web.exposure.include=reversible").run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).hasSingleBean(SagaStatistics.class);
                    assertThat(context).doesNotHaveBean(ReversibleEndpoint.class);
                });
    }

    @Test
    void runWithoutMicrometerShouldStillHaveEndpointBean() {
        this.contextRunner.withClassLoader(new FilteredClassLoader("io.micrometer"))
                .withPropertyValues("management.endpoints.web.exposure.include=reversible")
                .run(context -> assertThat(context).hasSingleBean(ReversibleEndpoint.class));
    }

    @Test
    void runWhenDisabledShouldNotHaveEndpointBean() {
        this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=reversible", "reversible.enabled=false")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(ReversibleEndpoint.class);
                });
    }

    @Test
    void runWhenUserDefinesEndpointShouldBackOff() {
        this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=reversible")
                .withBean("userEndpoint", ReversibleEndpoint.class, () -> new ReversibleEndpoint(new SagaStatistics(1, java.time.Clock.systemUTC())))
                .run(context -> {
                    assertThat(context).hasSingleBean(ReversibleEndpoint.class);
                    assertThat(context.getBean(ReversibleEndpoint.class)).isSameAs(context.getBean("userEndpoint"));
                });
    }
}
