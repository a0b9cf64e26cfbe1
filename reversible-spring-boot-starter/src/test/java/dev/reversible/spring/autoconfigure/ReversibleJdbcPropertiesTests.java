package dev.reversible.spring.autoconfigure;

import java.io.InputStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import dev.reversible.jdbc.CompletedSagas;
import dev.reversible.jdbc.JournalSettings;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ReversibleJdbcProperties}: the defaults docs/durable-journal.md lists, the journal settings made from them, the
 * checks binding alone cannot make, and generated metadata with a description for every property.
 */
class ReversibleJdbcPropertiesTests {

    @Test
    void defaultsAreTheDocumentedOnes() {
        ReversibleJdbcProperties properties = bind(Map.of());

        assertThat(properties.enabled()).isTrue();
        assertThat(properties.initializeSchema()).isEqualTo(ReversibleJdbcProperties.InitializeSchema.EMBEDDED);
        assertThat(properties.heartbeatInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(properties.retention()).isEqualTo(Duration.ofDays(7));
        assertThat(properties.instanceName()).isNull();
        assertThat(properties.settings()).isEqualTo(JournalSettings.defaults());
    }

    @Test
    void settingsCarryTheBoundValues() {
        JournalSettings settings = bind(Map.of("reversible.jdbc.table-prefix", "orders_saga_", "reversible.jdbc.completed", "keep",
                "reversible.jdbc.instance-timeout", "1m", "reversible.jdbc.retry.initial", "1s")).settings();

        assertThat(settings.tablePrefix()).isEqualTo("orders_saga_");
        assertThat(settings.completedSagas()).isEqualTo(CompletedSagas.KEEP);
        assertThat(settings.instanceTimeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(settings.retry().initial()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void instanceTimeoutNotLongerThanTheHeartbeatIntervalIsRefused() {
        assertThatExceptionOfType(BindException.class)
                .isThrownBy(() -> bind(Map.of("reversible.jdbc.heartbeat-interval", "30s", "reversible.jdbc.instance-timeout", "30s")))
                .havingRootCause().withMessageContaining("must be longer than reversible.jdbc.heartbeat-interval");
    }

    @Test
    void recoveryCompensatesOneSagaAtATimeUnlessToldOtherwiseAndNeverFewerThanOne() {
        assertThat(bind(Map.of()).recovery().concurrency()).isEqualTo(1);
        assertThat(bind(Map.of("reversible.jdbc.recovery.concurrency", "4")).recovery().concurrency()).isEqualTo(4);
        assertThatExceptionOfType(BindException.class)
                .isThrownBy(() -> bind(Map.of("reversible.jdbc.recovery.concurrency", "0")))
                .havingRootCause().withMessageContaining("reversible.jdbc.recovery.concurrency must be at least 1");
    }

    @Test
    void everyPropertyHasGeneratedMetadataWithADescription() throws Exception {
        JsonNode metadata;
        try (InputStream json = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            metadata = JsonMapper.builder().build().readTree(json);
        }
        Map<String, JsonNode> properties = new HashMap<>();
        metadata.get("properties").forEach(property -> properties.put(property.get("name").asString(), property));
        Map<String, String> defaults = Map.of("reversible.jdbc.enabled", "true", "reversible.jdbc.initialize-schema", "embedded",
                "reversible.jdbc.table-prefix", "reversible_", "reversible.jdbc.completed", "delete",
                "reversible.jdbc.heartbeat-interval", "5s", "reversible.jdbc.instance-timeout", "30s", "reversible.jdbc.retention", "7d",
                "reversible.jdbc.retry.max-attempts", "5", "reversible.jdbc.retry.initial", "10s", "reversible.jdbc.retry.max", "10m");
        defaults.forEach((name, defaultValue) -> {
            assertThat(properties).containsKey(name);
            assertThat(properties.get(name).get("description").asString()).as(name).isNotBlank();
            assertThat(properties.get(name).get("defaultValue").asString()).as(name).isEqualTo(defaultValue);
        });
        assertThat(properties.get("reversible.jdbc.instance-name").get("description").asString()).isNotBlank();
        assertThat(properties.get("reversible.jdbc.recovery.concurrency").get("description").asString()).contains("at once");
        assertThat(properties.get("reversible.jdbc.recovery.concurrency").get("defaultValue").asInt()).isEqualTo(1);
    }

    private static ReversibleJdbcProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate("reversible.jdbc", ReversibleJdbcProperties.class);
    }
}
