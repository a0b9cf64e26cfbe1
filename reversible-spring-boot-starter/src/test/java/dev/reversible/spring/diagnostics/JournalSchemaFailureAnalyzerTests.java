package dev.reversible.spring.diagnostics;

import dev.reversible.jdbc.JournalSchemaException;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;

import static org.assertj.core.api.Assertions.assertThat;

/** Tests for {@link JournalSchemaFailureAnalyzer}: the script to apply, from anywhere in the cause chain. */
class JournalSchemaFailureAnalyzerTests {

    private final JournalSchemaFailureAnalyzer analyzer = new JournalSchemaFailureAnalyzer();

    @Test
    void schemaExceptionDeepInABeanCreationFailureIsDescribedWithTheScriptToApply() {
        JournalSchemaException missing = new JournalSchemaException("The journal's tables are missing (no table reversible_schema_version): "
                + "apply classpath:dev/reversible/jdbc/schema-postgresql.sql", "classpath:dev/reversible/jdbc/schema-postgresql.sql", null);

        FailureAnalysis analysis = analyzer.analyze(new BeanCreationException("jdbcJournal", "failed", missing));

        assertThat(analysis.getDescription()).contains("classpath:dev/reversible/jdbc/schema-postgresql.sql");
        assertThat(analysis.getAction()).contains("Flyway").contains("reversible.jdbc.initialize-schema=always")
                .contains("reversible.jdbc.enabled=false");
        assertThat(analysis.getCause()).isSameAs(missing);
    }

    @Test
    void otherFailuresAreLeftToOtherAnalyzers() {
        assertThat(analyzer.analyze(new BeanCreationException("other", "failed", new IllegalStateException("x")))).isNull();
    }
}
