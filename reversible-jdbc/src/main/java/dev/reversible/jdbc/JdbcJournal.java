package dev.reversible.jdbc;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;

import javax.sql.DataSource;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.JdbcTransactionObjectSupport;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.DefaultTransactionStatus;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import tools.jackson.databind.json.JsonMapper;

/**
 * The journal's database: its {@link DataSource}, dialect, tables, transactions, JSON codec and clock.
 * One per application; the services ({@link InstanceRegistry}, {@link SagaJournal}, {@link SagaClaims},
 * {@link StoredSagas}) are made from it.
 *
 * <p>Every journal write runs in a transaction of its own ({@code REQUIRES_NEW}: an application transaction
 * on the same {@code DataSource} is suspended around it), so that it survives the application's rollback —
 * except the two writes named {@code …InCurrentTransaction}, which exist to share the caller's fate.
 *
 * <pre>{@code
 * JdbcJournal journal = JdbcJournal.builder(dataSource)
 *     .jsonMapper(jsonMapper)
 *     .settings(JournalSettings.defaults().withCompletedSagas(CompletedSagas.KEEP))
 *     .clock(clock)
 *     .build();
 * journal.verifySchema();   // JournalSchemaException names the script to apply
 * }</pre>
 */
public final class JdbcJournal {

    private final DataSource dataSource;
    private final JdbcClient jdbc;
    private final TransactionTemplate ownTransaction;
    private final TransactionTemplate claimTransaction;
    private final Dialect dialect;
    private final Tables tables;
    private final JournalSettings settings;
    private final JournalJson json;
    private final Clock clock;

    private JdbcJournal(Builder builder, Dialect dialect) {
        this.dataSource = builder.dataSource;
        this.jdbc = JdbcClient.create(builder.dataSource);
        PlatformTransactionManager transactions = builder.transactionManager != null
                ? builder.transactionManager : new DataSourceTransactionManager(builder.dataSource);
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        // Claims and purges lock rows with SKIP LOCKED; under REPEATABLE READ (MariaDB's default) InnoDB also
        // takes gap locks that make a second claimer wait for the first. READ COMMITTED takes none.
        this.claimTransaction = new TransactionTemplate(transactions);
        this.claimTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.claimTransaction.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
        this.dialect = dialect;
        this.tables = Tables.prefixed(builder.settings.tablePrefix());
        this.settings = builder.settings;
        this.json = builder.json != null ? builder.json : new JournalJson();
        this.clock = builder.clock;
    }

    /**
     * @param dataSource the journal's database (the application's, or one marked for the journal)
     * @return a builder
     */
    public static Builder builder(DataSource dataSource) {
        return new Builder(dataSource);
    }

    /** @return {@code h2}, {@code postgresql} or {@code mariadb}, as in the schema script's name */
    public String platform() {
        return dialect.platform();
    }

    /** @return the settings */
    public JournalSettings settings() {
        return settings;
    }

    /** @return the JSON codec, to read stored arguments and results into a handler's types */
    public JournalJson json() {
        return json;
    }

    /**
     * Checks that the journal's tables exist at the version this library needs.
     * @throws JournalSchemaException naming the script to apply when they do not
     */
    public void verifySchema() {
        JournalSchema.verify(jdbc, tables, dialect.platform(), settings.tablePrefix());
    }

    /**
     * Whether a transaction on the journal's {@code DataSource} is active on this thread: a step started now
     * joins it ({@link StepStart#joinedTransaction()}), and the {@code …InCurrentTransaction} writes may be used.
     * @return whether such a transaction is active
     */
    public boolean hasCallerTransaction() {
        return TransactionSynchronizationManager.isActualTransactionActive()
                && TransactionSynchronizationManager.hasResource(dataSource);
    }

    /**
     * Whether the transaction of this status was begun by it (not joined) and holds the journal's connection on
     * this thread — under a {@code DataSourceTransactionManager} or a {@code JpaTransactionManager} on the journal's
     * {@code DataSource}: a step running in it can have its record written in it.
     * @param status a transaction's status, as {@code TransactionInterceptor.currentTransactionStatus()} gives it
     * @return whether it is a new transaction on the journal's database
     */
    public boolean isNewTransactionOnJournal(TransactionStatus status) {
        return status.isNewTransaction() && status instanceof DefaultTransactionStatus transaction
                && transaction.getTransaction() instanceof JdbcTransactionObjectSupport jdbcTransaction
                && jdbcTransaction.hasConnectionHolder()
                && jdbcTransaction.getConnectionHolder() == TransactionSynchronizationManager.getResource(dataSource);
    }

    /**
     * @return what identifies the transaction on the journal's {@code DataSource} active on this thread (its
     *     connection's holder), or {@code null}
     */
    public Object currentTransactionResource() {
        return TransactionSynchronizationManager.isActualTransactionActive() ? TransactionSynchronizationManager.getResource(dataSource) : null;
    }

    JdbcClient jdbc() {
        return jdbc;
    }

    Dialect dialect() {
        return dialect;
    }

    Tables tables() {
        return tables;
    }

    /** @return the application clock's now: backoff, retention and display times, never ownership */
    Instant now() {
        return clock.instant();
    }

    /** Runs the work in a new transaction of the journal's own, committed when it returns. */
    <T> T inOwnTransaction(Supplier<T> work) {
        return ownTransaction.execute(status -> work.get());
    }

    /**
     * Runs one statement that answers a number, committed on its own and never in the caller's transaction: on a
     * connection in auto-commit mode, one round trip (a single statement is atomic and durable once it returns);
     * otherwise followed by a commit, or, while a transaction on the journal's {@code DataSource} is active on this
     * thread, in a new transaction of the journal's own.
     * @param sql a statement with positional parameters whose first row's first column is the answer
     * @param arguments its parameters
     * @return that number
     */
    int numberInOwnCommit(String sql, Object... arguments) {
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            return inOwnTransaction(() -> jdbc.sql(sql).params(arguments).query(Integer.class).single());
        }
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < arguments.length; i++) {
                statement.setObject(i + 1, arguments[i]);
            }
            int answer;
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                answer = rows.getInt(1);
            }
            if (!connection.getAutoCommit()) {
                connection.commit();
            }
            return answer;
        }
        catch (SQLException ex) {
            throw new JournalException("Journal statement failed: " + sql, ex);
        }
    }

    /** Runs a claim or a purge in a new READ COMMITTED transaction of the journal's own. */
    <T> T inClaimTransaction(Supplier<T> work) {
        return claimTransaction.execute(status -> work.get());
    }

    void inOwnTransaction(Runnable work) {
        ownTransaction.executeWithoutResult(status -> work.run());
    }

    /** Refuses a write meant for the caller's transaction when there is none on the journal's database. */
    void requireCallerTransaction(String operation) {
        if (!hasCallerTransaction()) {
            throw new IllegalStateException(operation + " must run inside a transaction on the journal's DataSource;"
                    + " none is active on this thread");
        }
    }

    /** Builds a {@link JdbcJournal}. */
    public static final class Builder {

        private final DataSource dataSource;
        private PlatformTransactionManager transactionManager;
        private JournalSettings settings = JournalSettings.defaults();
        private JournalJson json;
        private Clock clock = Clock.systemUTC();
        private String platform;

        private Builder(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        }

        /**
         * @param transactionManager the manager of the journal's own transactions; by default a
         *     {@link DataSourceTransactionManager} of the journal's, over its {@code DataSource}
         * @return this builder
         */
        public Builder transactionManager(PlatformTransactionManager transactionManager) {
            this.transactionManager = transactionManager;
            return this;
        }

        /** @param settings the settings @return this builder */
        public Builder settings(JournalSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /** @param mapper the application's mapper, copied by {@link JournalJson} @return this builder */
        public Builder jsonMapper(JsonMapper mapper) {
            this.json = new JournalJson(mapper);
            return this;
        }

        /**
         * @param clock the application's clock: backoff and retention use it, ownership never does
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @param platform {@code h2}, {@code postgresql} or {@code mariadb}; by default read from the
         *     database's metadata when the journal is built (which needs a connection)
         * @return this builder
         */
        public Builder platform(String platform) {
            this.platform = platform;
            return this;
        }

        /** @return the journal */
        public JdbcJournal build() {
            return new JdbcJournal(this, Dialect.of(platform != null ? platform : productName()));
        }

        private String productName() {
            try {
                return JdbcUtils.extractDatabaseMetaData(dataSource, DatabaseMetaData::getDatabaseProductName);
            }
            catch (MetaDataAccessException ex) {
                throw new JournalException("Cannot tell which database the journal runs on; set its platform", ex);
            }
        }
    }
}
