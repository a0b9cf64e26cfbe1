package dev.reversible.benchmarks.journal;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * A schema of its own, with a random name, on the local PostgreSQL ({@code 127.0.0.1:5432/test}, trust
 * authentication, user {@code postgres} or the current user; {@code -Dreversible.bench.postgres=jdbc:...}
 * names another database): created when a benchmark's application starts, dropped when it closes — never
 * tables of the server's own. Without a server, {@link #create()} throws {@link NoPostgresException}, whose
 * message JMH prints as the benchmark's failure before it goes on with the next benchmark.
 */
final class PostgresSchema implements AutoCloseable {

    static final String URL = System.getProperty("reversible.bench.postgres", "jdbc:postgresql://127.0.0.1:5432/test");

    final String name;
    final String user;

    private PostgresSchema(String name, String user) {
        this.name = name;
        this.user = user;
    }

    /**
     * Vacuums and analyzes the journal's tables and the benchmarks' rows in the connection's schema: what autovacuum
     * would have done by then on a default server (the machines here run PostgreSQL with autovacuum off).
     */
    static final String VACUUM = "VACUUM ANALYZE bench_rows, reversible_sagas, reversible_steps, reversible_compensations,"
            + " reversible_instances";

    /** @return a new, empty schema */
    static PostgresSchema create() {
        String user = findUser();
        String name = "rb_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
        execute(user, "CREATE SCHEMA " + name);
        return new PostgresSchema(name, user);
    }

    /** @return the JDBC URL of this schema */
    String url() {
        return URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + name;
    }

    @Override
    public void close() {
        execute(user, "DROP SCHEMA IF EXISTS " + name + " CASCADE");
    }

    // Lint 'try': the connection is opened only to see whether this user may log in, and closed at once.
    @SuppressWarnings("try")
    private static String findUser() {
        String reason = null;
        for (String candidate : new String[] { "postgres", System.getProperty("user.name") }) {
            try (Connection ignored = DriverManager.getConnection(URL + (URL.contains("?") ? "&" : "?") + "connectTimeout=2&loginTimeout=3",
                    candidate, "")) {
                return candidate;
            } catch (SQLException e) {
                reason = e.getMessage();
            }
        }
        throw new NoPostgresException("SKIPPED: the journal benchmarks need PostgreSQL at " + URL
                + " (user postgres or the current user, trust authentication): " + reason);
    }

    private static void execute(String user, String sql) {
        try (Connection connection = DriverManager.getConnection(URL, user, ""); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** No PostgreSQL answers: the journal benchmarks cannot run here. */
    static final class NoPostgresException extends IllegalStateException {

        private static final long serialVersionUID = 1L;

        NoPostgresException(String message) {
            super(message);
        }
    }
}
