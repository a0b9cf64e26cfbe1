package dev.reversible.spring.jdbc;

import javax.sql.DataSource;

import dev.reversible.jdbc.JournalSchema;

import org.springframework.boot.jdbc.init.DatabaseInitializationProperties;
import org.springframework.boot.jdbc.init.PropertiesBasedDataSourceScriptDatabaseInitializer;
import org.springframework.boot.sql.init.DatabaseInitializationMode;

/**
 * Applies the journal's schema script, {@code schema-@@platform@@.sql} at {@link JournalSchema#locationPattern()},
 * through Boot's script initializer: {@code reversible.jdbc.initialize-schema} = {@code embedded} (an
 * embedded database only), {@code always} or {@code never}. The scripts are idempotent. They name the
 * tables {@code reversible_…}: with another table prefix, apply {@link JournalSchema#script} yourself and set
 * {@code initialize-schema=never}.
 */
public final class JournalSchemaInitializer extends PropertiesBasedDataSourceScriptDatabaseInitializer<JournalSchemaInitializer.Settings> {

    /**
     * @param dataSource the journal's database
     * @param mode {@code EMBEDDED}, {@code ALWAYS} or {@code NEVER}
     */
    public JournalSchemaInitializer(DataSource dataSource, String mode) {
        super(dataSource, new Settings(DatabaseInitializationMode.valueOf(mode)));
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
