package dev.reversible.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;

import org.springframework.jdbc.core.SqlParameterValue;

/**
 * What differs between the databases: the database clock's SQL, how an {@link Instant} is bound and read,
 * and which schema script applies. Everything else is one SQL text for all three.
 */
enum Dialect {

    H2("h2", "CURRENT_TIMESTAMP") {
        @Override
        String databaseNowMinus(Duration age) {
            return "DATEADD(MILLISECOND, " + (-age.toMillis()) + ", CURRENT_TIMESTAMP)";
        }

        @Override
        String claimOrder(String columns) {
            // H2 locks every row it reads for an ORDER BY before it applies the LIMIT: a sorted claim would
            // lock all candidates and leave nothing for a concurrent claimer
            return "";
        }
    },

    POSTGRESQL("postgresql", "CURRENT_TIMESTAMP") {
        @Override
        String databaseNowMinus(Duration age) {
            return "(CURRENT_TIMESTAMP - INTERVAL '" + age.toMillis() + " milliseconds')";
        }
    },

    /** MariaDB 10.6+ (and MySQL 8, untested). DATETIME columns hold UTC: the session's time zone never enters. */
    MARIADB("mariadb", "UTC_TIMESTAMP(6)") {
        @Override
        String databaseNowMinus(Duration age) {
            return "TIMESTAMPADD(MICROSECOND, " + (-age.toNanos() / 1000) + ", UTC_TIMESTAMP(6))";
        }

        @Override
        String claimOrder(String columns) {
            // InnoDB sorts by reading (and locking) every candidate before the LIMIT: as on H2, no ORDER BY
            return "";
        }

        @Override
        boolean insertSelectLocksSource() {
            // InnoDB takes shared locks on the rows an INSERT … SELECT reads, under REPEATABLE READ (its default)
            return true;
        }

        @Override
        SqlParameterValue parameter(Instant instant) {
            return new SqlParameterValue(Types.TIMESTAMP, instant == null ? null : LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
        }

        @Override
        Instant read(ResultSet rs, String column) throws SQLException {
            LocalDateTime value = rs.getObject(column, LocalDateTime.class);
            return value == null ? null : value.toInstant(ZoneOffset.UTC);
        }
    };

    private final String platform;
    private final String databaseNow;

    Dialect(String platform, String databaseNow) {
        this.platform = platform;
        this.databaseNow = databaseNow;
    }

    /** @return the platform name in the script's file name, as Boot's {@code @@platform@@} */
    String platform() {
        return platform;
    }

    /** @return SQL for the database's current time: heartbeats are never written from the JVM's clock */
    String databaseNow() {
        return databaseNow;
    }

    /**
     * @param age a duration (written into the SQL as a number: it is not user text)
     * @return SQL for the database's current time minus that duration
     */
    abstract String databaseNowMinus(Duration age);

    /**
     * @param columns the columns to claim the oldest sagas first by
     * @return the ORDER BY clause of a {@code FOR UPDATE SKIP LOCKED} claim, or nothing
     */
    String claimOrder(String columns) {
        return " ORDER BY " + columns;
    }

    /**
     * @return whether an {@code INSERT … SELECT} locks the rows it reads — in an application's transaction that
     *     would hold the saga's row until the application commits, blocking the journal's own writes meanwhile
     */
    boolean insertSelectLocksSource() {
        return false;
    }

    /**
     * @return whether one statement may update and insert in several tables ({@code WITH … AS (UPDATE … RETURNING …)
     *     INSERT …}): PostgreSQL only, where it saves a compensation's mark two of its three round trips
     */
    boolean modifiesInWith() {
        return this == POSTGRESQL;
    }

    /** @return the JDBC parameter for an application-clock instant (typed, so that a null needs no metadata lookup) */
    SqlParameterValue parameter(Instant instant) {
        return new SqlParameterValue(Types.TIMESTAMP_WITH_TIMEZONE,
                instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
    }

    /** @return the instant in that column, or null */
    Instant read(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    /**
     * @param productName {@link java.sql.DatabaseMetaData#getDatabaseProductName()}
     * @return the dialect
     */
    static Dialect of(String productName) {
        String name = productName.toLowerCase(Locale.ROOT);
        if (name.contains("h2")) {
            return H2;
        }
        if (name.contains("postgres")) {
            return POSTGRESQL;
        }
        if (name.contains("mariadb") || name.contains("mysql")) {
            return MARIADB;
        }
        throw new JournalException("The journal supports H2, PostgreSQL and MariaDB, not " + productName);
    }
}
