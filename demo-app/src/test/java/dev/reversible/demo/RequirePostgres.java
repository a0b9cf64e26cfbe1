package dev.reversible.demo;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestInstanceFactoryContext;
import org.junit.jupiter.api.extension.TestInstancePreConstructCallback;

/**
 * Skips a test, with the reason, when no PostgreSQL server answers at {@link #URL} as user
 * {@code postgres} (the {@code postgres} profile's settings); when one does, creates a schema of this test
 * run's own there ({@link #schemaUrl()}), so the demo's tables never touch a user's. It checks before the test instance is made,
 * so that Spring never starts an application context against a server that is not there.
 */
class RequirePostgres implements TestInstancePreConstructCallback {

    static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";

    /** A schema of this test run's own in database {@code test}: never a table a user may have; dropped when the JVM exits. */
    private static final String SCHEMA = "reversible_demo_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    private static volatile String unavailable;
    private static volatile boolean checked;

    /** @return the URL of this run's own schema, created by the first check */
    static String schemaUrl() {
        return URL + "?currentSchema=" + SCHEMA;
    }

    @Override
    public void preConstructTestInstance(TestInstanceFactoryContext factoryContext, ExtensionContext context) {
        if (!checked) {
            unavailable = probe();
            checked = true;
            if (unavailable != null) {
                // Surefire counts skipped tests but does not print why: say it once in the build output.
                System.err.println("[SKIPPED] PostgreSQL tests: " + unavailable);
            }
        }
        Assumptions.assumeTrue(unavailable == null, () -> unavailable);
    }

    private static String probe() {
        try (Connection connection = DriverManager.getConnection(URL, "postgres", "")) {
            if (!connection.isValid(2)) {
                return "PostgreSQL at " + URL + " did not answer a validity check";
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE SCHEMA " + SCHEMA);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(RequirePostgres::dropSchema, "drop " + SCHEMA));
            return null;
        } catch (SQLException missing) {
            return "No PostgreSQL at " + URL + " as user postgres (" + missing.getMessage()
                    + "): start one to run the demo's tests on PostgreSQL";
        }
    }

    private static void dropSchema() {
        try (Connection connection = DriverManager.getConnection(URL, "postgres", ""); Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        } catch (SQLException e) {
            System.err.println("Could not drop test schema " + SCHEMA + ": " + e.getMessage());
        }
    }
}
