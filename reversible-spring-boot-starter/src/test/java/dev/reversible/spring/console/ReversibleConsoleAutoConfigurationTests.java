package dev.reversible.spring.console;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.web.servlet.function.RouterFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the console is there: only with {@code reversible.console.enabled=true}, only in a servlet web
 * application with Spring MVC.
 */
class ReversibleConsoleAutoConfigurationTests {

    private final WebApplicationContextRunner servlet = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ReversibleConsoleAutoConfiguration.class));

    @Test
    void runWhenNotEnabledShouldNotHaveConsole() {
        servlet.run(context -> {
            assertThat(context).doesNotHaveBean(ConsolePage.class);
            assertThat(context).doesNotHaveBean(RouterFunction.class);
        });
    }

    @Test
    void runWhenDisabledShouldNotHaveConsole() {
        servlet.withPropertyValues("reversible.console.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(ConsolePage.class));
    }

    @Test
    void runWhenEnabledInServletApplicationShouldHaveConsoleRoutes() {
        servlet.withPropertyValues("reversible.console.enabled=true").run(context -> {
            assertThat(context).hasSingleBean(ConsolePage.class);
            assertThat(context).hasBean("reversibleConsoleRoutes");
            assertThat(context.getBean(ConsoleProperties.class).path()).isEqualTo("/reversible/console");
        });
    }

    @Test
    void runWhenEnabledInReactiveApplicationShouldNotHaveConsole() {
        new ReactiveWebApplicationContextRunner().withConfiguration(AutoConfigurations.of(ReversibleConsoleAutoConfiguration.class))
                .withPropertyValues("reversible.console.enabled=true")
                .run(context -> assertThat(context).doesNotHaveBean(ConsolePage.class));
    }

    @Test
    void runWhenEnabledWithoutWebApplicationShouldNotHaveConsole() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ReversibleConsoleAutoConfiguration.class))
                .withPropertyValues("reversible.console.enabled=true")
                .run(context -> assertThat(context).doesNotHaveBean(ConsolePage.class));
    }

    @Test
    void runWhenEnabledWithoutSpringMvcShouldNotHaveConsole() {
        servlet.withPropertyValues("reversible.console.enabled=true")
                .withClassLoader(new FilteredClassLoader("org.springframework.web.servlet.function"))
                .run(context -> assertThat(context).doesNotHaveBean(ConsolePage.class));
    }

    @Test
    void propertiesHaveGeneratedMetadataWithDescriptionAndDefault() throws Exception {
        tools.jackson.databind.JsonNode metadata;
        try (java.io.InputStream json = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(json).isNotNull();
            metadata = tools.jackson.databind.json.JsonMapper.builder().build().readTree(json);
        }
        java.util.Map<String, String> defaults = new java.util.HashMap<>();
        metadata.get("properties").forEach(property -> {
            String name = property.get("name").asString();
            if (name.startsWith("reversible.console.")) {
                assertThat(property.get("description").asString()).as(name).isNotBlank();
                defaults.put(name, property.get("defaultValue").asString());
            }
        });
        assertThat(defaults).containsOnly(java.util.Map.entry("reversible.console.enabled", "false"),
                java.util.Map.entry("reversible.console.path", "/reversible/console"));
    }

    @Test
    void pathIsNormalizedAndNeverTheRoot() {
        assertThat(new ConsoleProperties(true, "ops/sagas/").path()).isEqualTo("/ops/sagas");
        assertThat(new ConsoleProperties(true, null).path()).isEqualTo("/reversible/console");
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(() -> new ConsoleProperties(true, "/"));
    }
}
