package dev.reversible.spring.jdbc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import dev.reversible.jdbc.JournalSchema;

import org.springframework.boot.jdbc.init.DatabaseInitializationProperties;
import org.springframework.boot.jdbc.init.PropertiesBasedDataSourceScriptDatabaseInitializer;
import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.Resource;
import org.springframework.util.StreamUtils;

/**
 * Applies the journal's schema script, {@code schema-@@platform@@.sql} at {@link JournalSchema#locationPattern()},
 * through Boot's script initializer: {@code reversible.jdbc.initialize-schema} = {@code embedded} (an
 * embedded database only), {@code always} or {@code never}, followed by every upgrade script
 * ({@link JournalSchema#upgradeScript}), so that a journal created by an earlier version of the library is
 * brought to this one. The scripts are idempotent. They name the
 * tables {@code reversible_…}; with another {@code reversible.jdbc.table-prefix} the script Boot found for the
 * platform is rewritten ({@link JournalSchema#withPrefix}) before it runs, so the tables the journal checks
 * at start-up are the ones created here.
 *
 * <pre>{@code
 * new JournalSchemaInitializer(dataSource, "ALWAYS", "orders_saga_");   // creates orders_saga_sagas, ...
 * }</pre>
 */
public final class JournalSchemaInitializer extends PropertiesBasedDataSourceScriptDatabaseInitializer<JournalSchemaInitializer.Settings> {

    private static final String DEFAULT_PREFIX = "reversible_";

    private final String tablePrefix;

    /**
     * With the default table prefix.
     * @param dataSource the journal's database
     * @param mode {@code EMBEDDED}, {@code ALWAYS} or {@code NEVER}
     */
    public JournalSchemaInitializer(DataSource dataSource, String mode) {
        this(dataSource, mode, DEFAULT_PREFIX);
    }

    /**
     * @param dataSource the journal's database
     * @param mode {@code EMBEDDED}, {@code ALWAYS} or {@code NEVER}
     * @param tablePrefix the journal's table prefix ({@code reversible.jdbc.table-prefix})
     */
    public JournalSchemaInitializer(DataSource dataSource, String mode, String tablePrefix) {
        super(dataSource, new Settings(DatabaseInitializationMode.valueOf(mode)));
        this.tablePrefix = tablePrefix;
    }

    @Override
    protected void runScripts(Scripts scripts) {
        Charset encoding = scripts.getEncoding() != null ? scripts.getEncoding() : StandardCharsets.UTF_8;
        List<Resource> all = new ArrayList<>();
        for (Resource script : scripts) {
            all.add(DEFAULT_PREFIX.equals(tablePrefix) ? script
                    : new ByteArrayResource(JournalSchema.withPrefix(read(script, encoding), tablePrefix).getBytes(encoding),
                            script.getDescription() + " with the table prefix '" + tablePrefix + "'"));
            // then each upgrade, so that a journal written by an earlier version reaches this one
            String platform = platformOf(script);
            for (int version = 2; version <= JournalSchema.VERSION; version++) {
                all.add(new ByteArrayResource(JournalSchema.upgradeScript(version, platform, tablePrefix).getBytes(encoding),
                        JournalSchema.upgradeLocation(version, platform)
                                + (DEFAULT_PREFIX.equals(tablePrefix) ? "" : " with the table prefix '" + tablePrefix + "'")));
            }
        }
        super.runScripts(new Scripts(all).continueOnError(scripts.isContinueOnError()).separator(scripts.getSeparator())
                .encoding(encoding));
    }

    /** The platform in the name Boot resolved, {@code schema-<platform>.sql}. */
    private static String platformOf(Resource script) {
        String name = script.getFilename();
        if (name == null || !name.startsWith("schema-") || !name.endsWith(".sql")) {
            throw new IllegalStateException("Not one of the journal's schema scripts: " + script);
        }
        return name.substring("schema-".length(), name.length() - ".sql".length());
    }

    private static String read(Resource script, Charset encoding) {
        try (var in = script.getInputStream()) {
            return StreamUtils.copyToString(in, encoding);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not read the journal's schema script " + script, ex);
        }
    }

    /** Boot's initialization settings for the journal's script. */
    public static final class Settings extends DatabaseInitializationProperties {

        Settings(DatabaseInitializationMode mode) {
            setInitializeSchema(mode);
        }

        @Override
        public String getDefaultSchemaLocation() {
            return JournalSchema.locationPattern();
        }
    }
}
