package dev.reversible.spring.autoconfigure;

import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter's generated {@code META-INF/spring-configuration-metadata.json} (this module's own, read beside
 * {@link ReversibleProperties}' class, not another jar's): every enum-valued property has hints, merged from
 * {@code additional-spring-configuration-metadata.json}, with exactly the enum's constants, each described.
 */
class ConfigurationMetadataHintsTests {

    private static final Map<String, String> enumTypes = new LinkedHashMap<>();
    private static final Map<String, JsonNode> hints = new LinkedHashMap<>();

    @BeforeAll
    static void readMetadata() throws Exception {
        URI classes = ReversibleProperties.class.getProtectionDomain().getCodeSource().getLocation().toURI();
        JsonNode metadata;
        try (InputStream json = classes.resolve("META-INF/spring-configuration-metadata.json").toURL().openStream()) {
            metadata = JsonMapper.builder().build().readTree(json);
        }
        for (JsonNode property : metadata.get("properties")) {
            JsonNode type = property.get("type");
            if (type != null && isEnum(type.asString())) {
                enumTypes.put(property.get("name").asString(), type.asString());
            }
        }
        for (JsonNode hint : metadata.get("hints")) {
            hints.put(hint.get("name").asString(), hint);
        }
    }

    @Test
    void theEnumValuedPropertiesAreFound() {
        assertThat(enumTypes).containsKeys("reversible.rollback-policy", "reversible.outside-saga", "reversible.jdbc.completed",
                "reversible.jdbc.initialize-schema", "management.endpoint.reversible.show-values", "management.endpoint.sagas.show-values",
                "management.endpoint.reversible.access", "management.endpoint.sagas.access");
    }

    @Test
    void everyEnumValuedPropertyHasHintsWithExactlyItsConstantsEachDescribed() throws Exception {
        for (Map.Entry<String, String> property : enumTypes.entrySet()) {
            String name = property.getKey();
            assertThat(hints).as("hints for %s", name).containsKey(name);
            List<String> values = new ArrayList<>();
            for (JsonNode value : hints.get(name).get("values")) {
                values.add(value.get("value").asString());
                assertThat(value.get("description")).as("%s=%s", name, value.get("value").asString()).isNotNull();
                assertThat(value.get("description").asString()).as("%s=%s", name, value.get("value").asString()).isNotBlank();
            }
            // Written as in a properties file (read-only); bound to the constant READ_ONLY.
            List<String> constants = Arrays.stream(Class.forName(property.getValue()).getEnumConstants())
                    .map(constant -> ((Enum<?>) constant).name().toLowerCase(Locale.ROOT).replace('_', '-'))
                    .toList();
            assertThat(values).as("hint values of %s", name).containsExactlyInAnyOrderElementsOf(constants);
        }
    }

    @Test
    void everyHintNamesAnExistingEnumValuedProperty() {
        assertThat(enumTypes.keySet()).containsAll(hints.keySet());
    }

    private static boolean isEnum(String type) {
        try {
            return Class.forName(type).isEnum();
        }
        catch (ClassNotFoundException | LinkageError notAClass) {
            return false; // java.util.List<java.lang.String> and the like
        }
    }
}
