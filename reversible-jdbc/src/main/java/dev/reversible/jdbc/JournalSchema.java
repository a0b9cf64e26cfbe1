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
 *
 * <p>Each later version ships its change as an upgrade script beside them,
 * {@code schema-upgrade-<version>-<platform>.sql}, also idempotent: the initializer applies the full script,
 * then every upgrade script in order, so a fresh database and one at an older version end up alike; a
 * migration tool takes the upgrade script as its next migration.
 */
public final class JournalSchema {

    /** The schema version this library reads and writes; stored in {@code <prefix>schema_version}. */
    public static final int VERSION = 3;

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
     * @param version a schema version after 1, up to {@link #VERSION}
     * @param platform {@code h2}, {@code postgresql} or {@code mariadb}
     * @return the class path location of the script that upgrades a journal from the version before to this one,
     *     e.g. {@code classpath:dev/reversible/jdbc/schema-upgrade-2-h2.sql}
     */
    public static String upgradeLocation(int version, String platform) {
        return "classpath:" + upgradePath(version, platform);
    }

    /**
     * @return the location patterns for Boot's initializer, with {@code @@platform@@}: the full script, then
     *     every upgrade script in order
     */
    public static List<String> locationPatterns() {
        List<String> locations = new java.util.ArrayList<>();
        locations.add(locationPattern());
        for (int version = 2; version <= VERSION; version++) {
            locations.add(upgradeLocation(version, "@@platform@@"));
        }
        return List.copyOf(locations);
    }

    /**
     * The script's text for another table prefix: every {@code reversible_} in it replaced.
     * @param platform {@code h2}, {@code postgresql} or {@code mariadb}
     * @param tablePrefix the prefix
     * @return the SQL text
     */
    public static String script(String platform, String tablePrefix) {
        return read(path(platform), tablePrefix);
    }

    /**
     * The upgrade script's text for another table prefix: every {@code reversible_} in it replaced.
     * @param version a schema version after 1, up to {@link #VERSION}
     * @param platform {@code h2}, {@code postgresql} or {@code mariadb}
     * @param tablePrefix the prefix
     * @return the SQL text that upgrades a journal from the version before to this one
     */
    public static String upgradeScript(int version, String platform, String tablePrefix) {
        return read(upgradePath(version, platform), tablePrefix);
    }

    private static String read(String path, String tablePrefix) {
        try (InputStream in = JournalSchema.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("No journal schema script " + path);
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

    private static String upgradePath(int version, String platform) {
        if (version < 2 || version > VERSION) {
            throw new IllegalArgumentException("No journal schema upgrade to version " + version);
        }
        return "dev/reversible/jdbc/schema-upgrade-" + version + "-" + platform + ".sql";
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
            int next = Math.max(version + 1, 2);
            String upgrade = upgradeLocation(next, platform);
            String upgradeAdvice = "apply " + (next == VERSION ? upgrade : "the upgrade scripts from " + upgrade + " to version " + VERSION)
                    + (DEFAULT_PREFIX.equals(prefix) ? " (or set reversible.jdbc.initialize-schema=always)"
                            : " with every 'reversible_' replaced by '" + prefix + "'");
            throw new JournalSchemaException("The journal's schema is at version " + version + ", this library needs "
                    + VERSION + ": " + upgradeAdvice, upgrade, null);
        }
        if (version > VERSION) {
            throw new JournalSchemaException("The journal's schema is at version " + version
                    + ", newer than this library's " + VERSION + ": upgrade reversible-jdbc", location(platform), null);
        }
    }
}
