package dev.reversible.spring.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A shared local database server the crash and concurrency tests may use — PostgreSQL on 127.0.0.1:5432
 * (trust authentication, database {@code test}) or MariaDB on 127.0.0.1:3306 (root, empty password) — only
 * ever inside a schema or database of a test's own with a random name, dropped afterwards. A test calls
 * {@link #create()} and is skipped, with the reason printed, when no server answers.
 */
enum LocalServer {

    POSTGRESQL("postgresql", "jdbc:postgresql://127.0.0.1:5432/test", "?connectTimeout=2&loginTimeout=3", "postgres") {
        @Override
        String url(String database) {
            return base + "?currentSchema=" + database;
        }

        @Override
        String createStatement(String database) {
            return "CREATE SCHEMA " + database;
        }

        @Override
        String dropStatement(String database) {
            return "DROP SCHEMA IF EXISTS " + database + " CASCADE";
        }
    },

    MARIADB("mariadb", "jdbc:mariadb://127.0.0.1:3306/test", "?connectTimeout=2000", "root") {
        @Override
        String url(String database) {
            return "jdbc:mariadb://127.0.0.1:3306/" + database;
        }

        @Override
        String createStatement(String database) {
            return "CREATE DATABASE " + database;
        }

        @Override
        String dropStatement(String database) {
            return "DROP DATABASE IF EXISTS " + database;
        }
    };

    final String platform;
    final String base;
    private final String probe;
    private final String defaultUser;
    private volatile String user;
    private volatile String unavailable;
    private volatile boolean probed;

    LocalServer(String platform, String base, String probe, String defaultUser) {
        this.platform = platform;
        this.base = base;
        this.probe = probe;
        this.defaultUser = defaultUser;
    }

    abstract String url(String database);

    abstract String createStatement(String database);

    abstract String dropStatement(String database);

    /** @return a new schema or database with a random name; skips the calling test when no server answers */
    Database create() {
        probe();
        assumeTrue(unavailable == null, () -> unavailable);
        String name = "rc_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
        execute(base, createStatement(name));
        return new Database(this, name);
    }

    private synchronized void probe() {
        if (probed) {
            return;
        }
        probed = true;
        for (String candidate : new String[] { defaultUser, System.getProperty("user.name") }) {
            try (Connection ignored = DriverManager.getConnection(base + probe, candidate, "")) {
                user = candidate;
                unavailable = null;
                return;
            } catch (SQLException e) {
                unavailable = "no " + platform + " at " + base + " (user " + defaultUser + " or the current user, no password): "
                        + e.getMessage();
            }
        }
        System.out.println("Skipping the " + platform + " tests: " + unavailable);
    }

    private void execute(String url, String sql) {
        try (Connection connection = DriverManager.getConnection(url, user, ""); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /**
     * One test's schema or database.
     * @param server where it lives
     * @param name its random name
     */
    record Database(LocalServer server, String name) implements AutoCloseable {

        String url() {
            return server.url(name);
        }

        String user() {
            return server.user;
        }

        /**
         * @param more further properties the test needs
         * @return the {@code spring.datasource.*} properties that connect to it, then {@code more}
         */
        String[] properties(String... more) {
            return java.util.stream.Stream.concat(java.util.stream.Stream.of("spring.datasource.url=" + url(),
                    "spring.datasource.username=" + user(), "spring.datasource.password="), java.util.Arrays.stream(more))
                    .toArray(String[]::new);
        }

        void execute(String sql) {
            server.execute(url(), sql);
        }

        @Override
        public void close() {
            server.execute(server.base, server.dropStatement(name));
        }
    }
}
