package dev.reversible.demo;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * {@link DemoDatabase} on the local PostgreSQL server: a missing database is created once, a user who may not create
 * one is told how, and anything else is left alone; skipped, with the reason, when no server answers.
 */
@ExtendWith(RequirePostgres.class)
class DemoDatabaseTests {

    private final List<String> databases = new ArrayList<>();
    private final List<String> roles = new ArrayList<>();

    @AfterEach
    void dropWhatTheTestMade() throws SQLException {
        try (Connection admin = admin(); Statement statement = admin.createStatement()) {
            for (String database : databases) {
                statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
            for (String role : roles) {
                statement.execute("DROP ROLE IF EXISTS " + role);
            }
        }
    }

    @Test
    void missingDatabaseIsCreatedAndAnExistingOneIsKept() throws SQLException {
        String database = name("reversible_demo_db_");

        DemoDatabase.ensureExists(RequirePostgres.SERVER + database, "postgres", "");
        try (Connection demo = DriverManager.getConnection(RequirePostgres.SERVER + database, "postgres", "");
                Statement statement = demo.createStatement()) {
            statement.execute("CREATE TABLE kept (id INT)");
        }
        DemoDatabase.ensureExists(RequirePostgres.SERVER + database, "postgres", "");

        assertThat(databasesNamed(database)).isEqualTo(1);
        try (Connection demo = DriverManager.getConnection(RequirePostgres.SERVER + database, "postgres", "");
                Statement statement = demo.createStatement();
                ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM kept")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getInt(1)).isZero();
        }
    }

    @Test
    void userWhoMayNotCreateDatabasesIsToldHowToCreateIt() throws SQLException {
        String database = name("reversible_demo_db_");
        String role = name("reversible_demo_user_");
        try (Connection admin = admin(); Statement statement = admin.createStatement()) {
            statement.execute("CREATE ROLE " + role + " LOGIN NOCREATEDB");
            roles.add(role);
        }

        assertThatIllegalStateException().isThrownBy(() -> DemoDatabase.ensureExists(RequirePostgres.SERVER + database, role, ""))
                .withMessage("The demo's database " + database + " does not exist on " + RequirePostgres.SERVER + ", and user " + role
                        + " may not create it. Create it once as a user who may, e.g. `createdb -h <host> -U postgres -O " + role + " "
                        + database + "` or, in psql, `CREATE DATABASE " + database + " OWNER " + role + ";` — or point "
                        + "spring.datasource.url at a database of your own");
        assertThat(databasesNamed(database)).isZero();
    }

    @Test
    void anotherDatabaseOrAServerThatDoesNotAnswerIsLeftAlone() {
        assertThatNoException().isThrownBy(() -> DemoDatabase.ensureExists("jdbc:h2:mem:demo", "sa", ""));
        // Port 1 on the loopback: refused at once. The DataSource reports it when it is used, as without this check.
        assertThatNoException().isThrownBy(() -> DemoDatabase.ensureExists("jdbc:postgresql://127.0.0.1:1/reversible_demo", "postgres", ""));
    }

    private String name(String prefix) {
        String name = prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        if (prefix.endsWith("db_")) {
            databases.add(name);
        }
        return name;
    }

    private static int databasesNamed(String database) throws SQLException {
        try (Connection admin = admin(); PreparedStatement query = admin.prepareStatement("SELECT COUNT(*) FROM pg_database WHERE datname = ?")) {
            query.setString(1, database);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    private static Connection admin() throws SQLException {
        return DriverManager.getConnection(RequirePostgres.SERVER + "postgres", "postgres", "");
    }
}
