package dev.reversible.spring.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link PrefixedSchemaTests} on the local PostgreSQL ({@code 127.0.0.1:5432/test}, trust authentication), in a
 * schema with a random name dropped afterwards. Skipped, with the reason printed, when no server answers.
 */
class PostgresPrefixedSchemaTests extends PrefixedSchemaTests {

    private static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";
    private static String user;
    private static String unavailable;
    private String schema;

    @BeforeAll
    static void findServer() {
        unavailable = "no PostgreSQL";
        for (String candidate : new String[] { "postgres", System.getProperty("user.name") }) {
            try (Connection ignored = DriverManager.getConnection(URL + "?connectTimeout=2&loginTimeout=3", candidate, "")) {
                user = candidate;
                unavailable = null;
                return;
            } catch (SQLException e) {
                unavailable = "no PostgreSQL at " + URL + " (user postgres or current user, trust): " + e.getMessage();
            }
        }
        System.out.println("Skipping " + PostgresPrefixedSchemaTests.class.getSimpleName() + ": " + unavailable);
    }

    @Override
    String[] database() {
        assumeTrue(unavailable == null, () -> unavailable);
        schema = "rp_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
        execute("CREATE SCHEMA " + schema);
        return new String[] { "spring.datasource.url=" + URL + "?currentSchema=" + schema, "spring.datasource.username=" + user,
                "spring.datasource.password=" };
    }

    @AfterEach
    void dropSchema() {
        if (schema != null) {
            execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    private static void execute(String sql) {
        try (Connection connection = DriverManager.getConnection(URL, user, ""); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
