package dev.reversible.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The journal's schema scripts, one per database, on the class path at
 * {@code dev/reversible/jdbc/schema-<platform>.sql} — the names Boot's script initializer expects
 * ({@code schema-@@platform@@.sql}). They are idempotent ({@code IF NOT EXISTS}) and copyable as is into a
 * Flyway or Liquibase migration.
 */
public final class JournalSchema {

    /** The schema version this library reads and writes; stored in {@code <prefix>schema_version}. */
    public static final int VERSION = 1;

    private static final String DEFAULT_PREFIX = "reversible_";

    private JournalSchema() {
    }

    /**
     * @param platform {@code h2}, {@code postgresql} or {@code mariadb}
     * @return the script's class path location, e.g. {@code classpath:dev/reversible/jdbc/schema-h2.sql}
     */
    public static String location(String platform) {
        return "classpath:" + path(platform);
    }

    /** @return the location pattern for Boot's initializer, with {@code @@platform@@} */
    public static String locationPattern() {
        return location("@@platform@@");
    }

    /**
     * The script's text for another table prefix: every {@code reversible_} in it replaced.
     * @param platform {@code h2}, {@code postgresql} or {@code mariadb}
     * @param tablePrefix the prefix
     * @return the SQL text
     */
    public static String script(String platform, String tablePrefix) {
        try (InputStream in = JournalSchema.class.getClassLoader().getResourceAsStream(path(platform))) {
            if (in == null) {
                throw new IllegalArgumentException("No journal schema script for platform " + platform);
            }
            return withPrefix(new String(in.readAllBytes(), StandardCharsets.UTF_8), tablePrefix);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * A shipped script's text for another table prefix: every {@code reversible_} in it replaced.
     * @param script the text of one of the shipped scripts
     * @param tablePrefix the prefix
     * @return the SQL text, unchanged for the default prefix
     */
    public static String withPrefix(String script, String tablePrefix) {
        return DEFAULT_PREFIX.equals(tablePrefix) ? script : script.replace(DEFAULT_PREFIX, tablePrefix);
    }

    private static String path(String platform) {
        return "dev/reversible/jdbc/schema-" + platform + ".sql";
    }

    static void verify(JdbcClient jdbc, Tables tables, String platform, String prefix) {
        String advice = DEFAULT_PREFIX.equals(prefix)
                ? "apply " + location(platform) + " (or set reversible.jdbc.initialize-schema=always)"
                : "apply " + location(platform) + " with every 'reversible_' replaced by '" + prefix + "'";
        List<Integer> versions;
        try {
            versions = jdbc.sql("SELECT version FROM " + tables.schemaVersion()).query(Integer.class).list();
        }
        catch (DataAccessException ex) {
            throw new JournalSchemaException("The journal's tables are missing (no table " + tables.schemaVersion()
                    + "): " + advice, location(platform), ex);
        }
        int version = versions.stream().mapToInt(Integer::intValue).max().orElse(0);
        if (version < VERSION) {
            throw new JournalSchemaException("The journal's schema is at version " + version + ", this library needs "
                    + VERSION + ": " + advice, location(platform), null);
        }
        if (version > VERSION) {
            throw new JournalSchemaException("The journal's schema is at version " + version
                    + ", newer than this library's " + VERSION + ": upgrade reversible-jdbc", location(platform), null);
        }
    }
}
