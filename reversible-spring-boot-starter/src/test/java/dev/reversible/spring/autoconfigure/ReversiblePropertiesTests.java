package dev.reversible.spring.autoconfigure;

import java.io.InputStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import dev.reversible.core.RollbackPolicy;
import dev.reversible.spring.aop.OutsideSagaPolicy;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.core.Ordered;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link ReversibleProperties}: defaults, binding of every property, the checks binding alone
 * cannot make, and the generated configuration metadata.
 */
class ReversiblePropertiesTests {

    @Test
    void bindingNothingGivesTheDefaults() {
        ReversibleProperties properties = bind(Map.of());
        assertThat(properties.enabled()).isTrue();
        assertThat(properties.rollbackPolicy()).isEqualTo(RollbackPolicy.ABORT);
        assertThat(properties.compensation().retry().maxAttempts()).isEqualTo(1);
        assertThat(properties.compensation().retry().backoff()).isEqualTo(Duration.ZERO);
        assertThat(properties.aspectOrder()).isEqualTo(ReversibleProperties.DEFAULT_ASPECT_ORDER).isEqualTo(Ordered.LOWEST_PRECEDENCE - 1);
        assertThat(properties.outsideSaga()).isEqualTo(OutsideSagaPolicy.EXECUTE);
        assertThat(properties.historySize()).isEqualTo(50);
    }

    @Test
    void bindsEveryProperty() {
        Map<String, String> values = new HashMap<>();
        values.put("reversible.enabled", "false");
        values.put("reversible.rollback-policy", "continue");
        values.put("reversible.compensation.retry.max-attempts", "3");
        values.put("reversible.compensation.retry.backoff", "250ms");
        values.put("reversible.aspect-order", "7");
        values.put("reversible.outside-saga", "fail");
        values.put("reversible.history-size", "5");
        ReversibleProperties properties = bind(values);
        assertThat(properties.enabled()).isFalse();
        assertThat(properties.rollbackPolicy()).isEqualTo(RollbackPolicy.CONTINUE);
        assertThat(properties.compensation().retry().maxAttempts()).isEqualTo(3);
        assertThat(properties.compensation().retry().backoff()).isEqualTo(Duration.ofMillis(250));
        assertThat(properties.aspectOrder()).isEqualTo(7);
        assertThat(properties.outsideSaga()).isEqualTo(OutsideSagaPolicy.FAIL);
        assertThat(properties.historySize()).isEqualTo(5);
    }

    @Test
    void historySizeZeroIsAllowed() {
        assertThat(bind(Map.of("reversible.history-size", "0")).historySize()).isZero();
    }

    @Test
    void negativeHistorySizeIsRefused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new ReversibleProperties(true, RollbackPolicy.ABORT, new ReversibleProperties.Compensation(
                        new ReversibleProperties.Retry(1, Duration.ZERO)), 0, OutsideSagaPolicy.EXECUTE, -1))
                .withMessage("reversible.history-size must not be negative, was -1");
    }

    @Test
    void maxAttemptsBelowOneIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new ReversibleProperties.Retry(0, Duration.ZERO))
                .withMessage("reversible.compensation.retry.max-attempts must be at least 1, was 0");
    }

    @Test
    void negativeBackoffIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new ReversibleProperties.Retry(1, Duration.ofMillis(-5)))
                .withMessage("reversible.compensation.retry.backoff must not be negative, was PT-0.005S");
    }

    @Test
    void everyPropertyHasGeneratedMetadataWithDescriptionAndDefault() throws Exception {
        JsonNode metadata;
        try (InputStream json = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(json).isNotNull();
            metadata = JsonMapper.builder().build().readTree(json);
        }
        Map<String, JsonNode> properties = new HashMap<>();
        metadata.get("properties").forEach(property -> properties.put(property.get("name").asString(), property));
        Map<String, String> defaults = Map.of("reversible.enabled", "true", "reversible.rollback-policy", "abort",
                "reversible.compensation.retry.max-attempts", "1", "reversible.compensation.retry.backoff", "0ms",
                "reversible.aspect-order", String.valueOf(ReversibleProperties.DEFAULT_ASPECT_ORDER), "reversible.outside-saga", "execute",
                "reversible.history-size", "50");
        defaults.forEach((name, defaultValue) -> {
            assertThat(properties).containsKey(name);
            assertThat(properties.get(name).get("description").asString()).as(name).isNotBlank();
            assertThat(properties.get(name).get("defaultValue").asString()).as(name).isEqualTo(defaultValue);
        });
        assertThat(properties.keySet().stream().filter(name -> name.startsWith("reversible.") && !name.startsWith("reversible.jdbc.")
                && !name.startsWith("reversible.console."))).containsExactlyInAnyOrderElementsOf(defaults.keySet());
    }

    private static ReversibleProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate("reversible", ReversibleProperties.class);
    }
}
