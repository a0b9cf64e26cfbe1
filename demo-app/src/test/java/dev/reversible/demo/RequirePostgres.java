package dev.reversible.demo;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestInstanceFactoryContext;
import org.junit.jupiter.api.extension.TestInstancePreConstructCallback;

/**
 * Skips a test, with the reason, when no PostgreSQL server answers at {@link #URL} as user
 * {@code postgres} (the {@code postgres} profile's settings). It checks before the test instance is made,
 * so that Spring never starts an application context against a server that is not there.
 */
class RequirePostgres implements TestInstancePreConstructCallback {

    static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";

    private static volatile String unavailable;
    private static volatile boolean checked;

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
            return connection.isValid(2) ? null : "PostgreSQL at " + URL + " did not answer a validity check";
        } catch (SQLException missing) {
            return "No PostgreSQL at " + URL + " as user postgres (" + missing.getMessage()
                    + "): start one to run the demo's tests on PostgreSQL";
        }
    }
}
