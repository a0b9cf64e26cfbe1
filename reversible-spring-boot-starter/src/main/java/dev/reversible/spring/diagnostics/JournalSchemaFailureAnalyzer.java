package dev.reversible.spring.diagnostics;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;

/**
 * Reports a missing or outdated journal schema ({@code dev.reversible.jdbc.JournalSchemaException}) with
 * the script to apply, instead of a stack trace. Matches the exception by class name, so that it loads
 * without {@code reversible-jdbc} on the class path.
 *
 * <pre>{@code
 * Description:
 * The journal's tables are missing (no table reversible_schema_version): apply classpath:dev/reversible/jdbc/schema-h2.sql ...
 * Action:
 * Apply the journal's schema script named above ...
 * }</pre>
 */
public class JournalSchemaFailureAnalyzer implements FailureAnalyzer {

    static final String SCHEMA_EXCEPTION = "dev.reversible.jdbc.JournalSchemaException";

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (SCHEMA_EXCEPTION.equals(cause.getClass().getName())) {
                return new FailureAnalysis(cause.getMessage(),
                        "Apply the journal's schema script named above to the journal's database (copy it into a Flyway or "
                                + "Liquibase migration, or set reversible.jdbc.initialize-schema=always to let the application "
                                + "apply it at start-up), or switch the journal off with reversible.jdbc.enabled=false.",
                        cause);
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return null;
    }
}
