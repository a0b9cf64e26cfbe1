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
 * Skips a test, with the reason, when no PostgreSQL server answers at {@link #SERVER} as user {@code postgres} (the
 * {@code postgres} profile's settings); when one does, the tests use a database of this test run's own there, with a
 * random name ({@link #databaseUrl()}) — never {@code test}, never the demo's {@code reversible_demo}. The demo creates
 * it on its first start ({@link DemoDatabase}); it is dropped when the JVM exits. It checks before the test instance is
 * made, so that Spring never starts an application context against a server that is not there.
 */
class RequirePostgres implements TestInstancePreConstructCallback {

    /** The server the {@code postgres} profile uses, without a database. */
    static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";

    /** A database of this test run's own: never one a user may have; dropped when the JVM exits. */
    static final String DATABASE = "reversible_demo_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    private static volatile String unavailable;
    private static volatile boolean checked;

    /** @return the URL of this run's own database, which the demo creates when it first starts on it */
    static String databaseUrl() {
        return SERVER + DATABASE;
    }

    @Override
    public void preConstructTestInstance(TestInstanceFactoryContext factoryContext, ExtensionContext context) {
        String reason = unavailable();
        Assumptions.assumeTrue(reason == null, () -> reason);
    }

    /** @return why no PostgreSQL tests can run (checked once per JVM), or null when the server answers */
    static synchronized String unavailable() {
        if (!checked) {
            unavailable = probe();
            checked = true;
            if (unavailable != null) {
                // Surefire counts skipped tests but does not print why: say it once in the build output.
                System.err.println("[SKIPPED] PostgreSQL tests: " + unavailable);
            }
        }
        return unavailable;
    }

    private static String probe() {
        try (Connection connection = DriverManager.getConnection(SERVER + "postgres", "postgres", "")) {
            if (!connection.isValid(2)) {
                return "PostgreSQL at " + SERVER + " did not answer a validity check";
            }
            Runtime.getRuntime().addShutdownHook(new Thread(RequirePostgres::dropDatabase, "drop " + DATABASE));
            return null;
        } catch (SQLException missing) {
            return "No PostgreSQL at " + SERVER + " as user postgres (" + missing.getMessage()
                    + "): start one to run the demo's tests on PostgreSQL";
        }
    }

    /** {@code WITH (FORCE)}: the application contexts the tests cached may still hold connections while the JVM exits. */
    private static void dropDatabase() {
        try (Connection connection = DriverManager.getConnection(SERVER + "postgres", "postgres", "");
                Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
        } catch (SQLException e) {
            System.err.println("Could not drop test database " + DATABASE + ": " + e.getMessage());
        }
    }
}
