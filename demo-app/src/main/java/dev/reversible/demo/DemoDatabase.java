package dev.reversible.demo;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * On PostgreSQL, makes sure the demo's own database exists before anything uses the {@code DataSource}: the
 * {@code postgres} profile points at {@code reversible_demo}, never at a database that may hold a user's tables
 * ({@code test}, {@code postgres}). When it is missing, it is created — connected to the same server's
 * {@code postgres} (or {@code template1}) database as the demo's user — or, if that user may not create databases,
 * start-up stops with a message saying how to create it. Any other database (H2) is left alone, and so is a server
 * that does not answer: the {@code DataSource} then reports it as usual.
 *
 * <pre>{@code
 * ./mvnw -pl demo-app -am spring-boot:run -Dspring-boot.run.profiles=postgres
 * INFO  ... dev.reversible.demo.DemoDatabase : Created database reversible_demo on jdbc:postgresql://127.0.0.1:5432/ for the demo
 * }</pre>
 *
 * <p>A bean post-processor, not an initializer bean: it runs while the {@code DataSource} bean is being initialised,
 * so no bean can reach the pool first (Hikari connects on the first use, not when it is built).
 */
@Component
class DemoDatabase implements BeanPostProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(DemoDatabase.class);

    /** {@code jdbc:postgresql://host:port/} + database + optional {@code ?parameters}. */
    private static final Pattern POSTGRES_URL = Pattern.compile("^(jdbc:postgresql://[^/?]*/)([^/?]+)(\\?.*)?$");

    /** Names written into {@code CREATE DATABASE} as they are: plain lower-case identifiers only. */
    private static final Pattern PLAIN_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    /** Every PostgreSQL server has these; connecting to one of them to create another database is the usual way. */
    private static final List<String> MAINTENANCE_DATABASES = List.of("postgres", "template1");

    private static final String INSUFFICIENT_PRIVILEGE = "42501";
    private static final String DUPLICATE_DATABASE = "42P04";
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String INVALID_CATALOG_NAME = "3D000";

    private final Environment environment;
    private volatile boolean checked;

    DemoDatabase(Environment environment) {
        this.environment = environment;
    }

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (bean instanceof DataSource && !checked) {
            checked = true;
            String url = environment.getProperty("spring.datasource.url");
            if (url != null) {
                ensureExists(url, environment.getProperty("spring.datasource.username"),
                        Objects.requireNonNullElse(environment.getProperty("spring.datasource.password"), ""));
            }
        }
        return bean;
    }

    /**
     * Creates the database a PostgreSQL URL names when it does not exist yet.
     * @param url a JDBC URL; anything but {@code jdbc:postgresql://host[:port]/database} is left alone
     * @param user the user the demo connects as
     * @param password its password
     * @throws IllegalStateException when the database is missing and the user may not create it (the message says how)
     */
    static void ensureExists(String url, String user, String password) {
        Matcher parts = POSTGRES_URL.matcher(url);
        if (!parts.matches()) {
            return;
        }
        String server = parts.group(1);
        String database = parts.group(2);
        String parameters = Objects.requireNonNullElse(parts.group(3), "");
        try (Connection maintenance = connectToMaintenanceDatabase(server, parameters, user, password)) {
            if (maintenance == null) {
                LOG.warn("Could not check that database {} exists on {}: no maintenance database answered; using {} as it is",
                        database, server, url);
                return;
            }
            if (exists(maintenance, database)) {
                return;
            }
            if (!PLAIN_NAME.matcher(database).matches()) {
                throw new IllegalStateException("Database " + database + " does not exist on " + server + ", and the demo creates only "
                        + "databases with plain lower-case names: create it yourself, or use the default, reversible_demo");
            }
            create(maintenance, server, database, user);
        } catch (SQLException e) {
            LOG.warn("Could not check that database {} exists on {} ({}); using {} as it is", database, server, e.getMessage(), url);
        }
    }

    /** @return a connection to the first maintenance database that answers, or {@code null} when none does */
    private static Connection connectToMaintenanceDatabase(String server, String parameters, String user, String password) throws SQLException {
        SQLException last = null;
        for (String database : MAINTENANCE_DATABASES) {
            try {
                return DriverManager.getConnection(server + database + parameters, user, password);
            } catch (SQLException e) {
                if (!INVALID_CATALOG_NAME.equals(e.getSQLState())) {
                    throw e;   // no server, or no such user: trying another database changes nothing
                }
                last = e;
            }
        }
        LOG.debug("No maintenance database on {}", server, last);
        return null;
    }

    private static boolean exists(Connection connection, String database) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            query.setString(1, database);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next();
            }
        }
    }

    private static void create(Connection connection, String server, String database, String user) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE \"" + database + "\"");
            LOG.info("Created database {} on {} for the demo", database, server);
        } catch (SQLException e) {
            if (DUPLICATE_DATABASE.equals(e.getSQLState()) || UNIQUE_VIOLATION.equals(e.getSQLState())) {
                return;   // another instance of the demo created it a moment ago
            }
            if (INSUFFICIENT_PRIVILEGE.equals(e.getSQLState())) {
                throw new IllegalStateException("The demo's database " + database + " does not exist on " + server + ", and user " + user
                        + " may not create it. Create it once as a user who may, e.g. `createdb -h <host> -U postgres -O " + user + " "
                        + database + "` or, in psql, `CREATE DATABASE " + database + " OWNER " + user + ";` — or point "
                        + "spring.datasource.url at a database of your own", e);
            }
            throw e;
        }
    }
}
