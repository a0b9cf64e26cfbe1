package dev.reversible.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

import javax.sql.DataSource;

import org.springframework.core.io.ByteArrayResource;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

/**
 * A database of the journal's own for one test: an in-memory H2 database, or a schema (PostgreSQL) or
 * database (MariaDB) with a random name on the shared local server, dropped afterwards — never tables in
 * the server's {@code test} database itself.
 */
abstract class TestDatabase implements AutoCloseable {

    final String name = "rj_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);

    abstract String platform();

    /** @return a data source whose connections work in this test's database or schema */
    abstract DataSource dataSource();

    /** Applies the shipped schema script, with another table prefix when asked. */
    void applySchema(String tablePrefix) {
        ResourceDatabasePopulator populator = new ResourceDatabasePopulator(
                new ByteArrayResource(JournalSchema.script(platform(), tablePrefix).getBytes()));
        populator.execute(dataSource());
    }

    /** Runs a script's text, statement by statement, as Boot's initializer does. */
    void applyScript(String script) {
        new ResourceDatabasePopulator(new ByteArrayResource(script.getBytes())).execute(dataSource());
    }

    static void execute(String url, String user, String password, String sql) {
        try (Connection connection = DriverManager.getConnection(url, user, password);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
        catch (SQLException ex) {
            throw new IllegalStateException(sql + ": " + ex.getMessage(), ex);
        }
    }

    /** In-memory H2, a fresh database per test. */
    static final class H2 extends TestDatabase {

        private final DriverManagerDataSource dataSource =
                new DriverManagerDataSource("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1", "sa", "");

        @Override
        String platform() {
            return "h2";
        }

        @Override
        DataSource dataSource() {
            return dataSource;
        }

        @Override
        public void close() {
            execute("jdbc:h2:mem:" + name, "sa", "", "SHUTDOWN");
        }
    }

    /** The local PostgreSQL (trust authentication), a random schema in database {@code test}. */
    static final class Postgres extends TestDatabase {

        static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";
        private static String user;
        private final DriverManagerDataSource dataSource;

        Postgres() {
            execute(URL, user, "", "CREATE SCHEMA " + name);
            dataSource = new DriverManagerDataSource(URL + "?currentSchema=" + name, user, "");
        }

        /** @return null when a server answers, or why not */
        static String unavailable() {
            String why = null;
            for (String candidate : new String[] {"postgres", System.getProperty("user.name")}) {
                try (Connection ignored = DriverManager.getConnection(URL + "?connectTimeout=2&loginTimeout=3", candidate, "")) {
                    user = candidate;
                    return null;
                }
                catch (SQLException ex) {
                    why = "no PostgreSQL at " + URL + " (user postgres or current user, trust): " + ex.getMessage();
                }
            }
            return why;
        }

        @Override
        String platform() {
            return "postgresql";
        }

        @Override
        DataSource dataSource() {
            return dataSource;
        }

        @Override
        public void close() {
            execute(URL, user, "", "DROP SCHEMA IF EXISTS " + name + " CASCADE");
        }
    }

    /** The local MariaDB (root, empty password), a random database. */
    static final class MariaDb extends TestDatabase {

        static final String SERVER = "jdbc:mariadb://127.0.0.1:3306/";
        private final DriverManagerDataSource dataSource;

        MariaDb() {
            execute(SERVER + "test", "root", "", "CREATE DATABASE " + name + " CHARACTER SET utf8mb4");
            dataSource = new DriverManagerDataSource(SERVER + name, "root", "");
        }

        /** @return null when a server answers, or why not */
        static String unavailable() {
            try (Connection ignored = DriverManager.getConnection(SERVER + "test?connectTimeout=2000", "root", "")) {
                return null;
            }
            catch (SQLException ex) {
                return "no MariaDB at " + SERVER + "test (root, empty password): " + ex.getMessage();
            }
        }

        @Override
        String platform() {
            return "mariadb";
        }

        @Override
        DataSource dataSource() {
            return dataSource;
        }

        @Override
        public void close() {
            execute(SERVER + "test", "root", "", "DROP DATABASE IF EXISTS " + name);
        }
    }
}
