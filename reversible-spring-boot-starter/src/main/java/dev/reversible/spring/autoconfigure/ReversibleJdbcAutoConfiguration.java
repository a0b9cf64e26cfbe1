package dev.reversible.spring.autoconfigure;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;

import javax.sql.DataSource;

import dev.reversible.core.SagaExecutor;
import dev.reversible.jdbc.InstanceRegistry;
import dev.reversible.jdbc.JdbcJournal;
import dev.reversible.jdbc.JournalInstance;
import dev.reversible.jdbc.SagaClaims;
import dev.reversible.jdbc.SagaJournal;
import dev.reversible.jdbc.StoredSagas;
import dev.reversible.spring.jdbc.CompensationTransactions;
import dev.reversible.spring.jdbc.JdbcStepJournal;
import dev.reversible.spring.jdbc.JournalLifecycle;
import dev.reversible.spring.jdbc.JournalPayloadCheck;
import dev.reversible.spring.jdbc.JournalSchemaInitializer;
import dev.reversible.spring.jdbc.ReversibleDataSource;
import dev.reversible.spring.jdbc.SagaCancellation;
import dev.reversible.spring.jdbc.SagaOperations;
import dev.reversible.spring.jdbc.SagaRecovery;
import dev.reversible.spring.jdbc.StuckSagaCount;
import dev.reversible.spring.metadata.ReversibleOperationSource;
import dev.reversible.spring.metrics.StuckSagaGauge;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.transaction.PlatformTransactionManager;

import tools.jackson.databind.json.JsonMapper;

/**
 * The durable saga journal, when {@code reversible-jdbc} is on the class path and a {@code DataSource}
 * exists: the schema applied ({@code reversible.jdbc.initialize-schema}) and checked at start-up, every saga
 * of the executor written ahead, this instance registered and heartbeating, and the sagas of dead instances
 * recovered — all on the journal's own scheduler. Without {@code reversible-jdbc}, nothing here exists and
 * compensations live in memory as before.
 *
 * <p>The journal uses the {@code DataSource} marked {@link ReversibleDataSource @ReversibleDataSource} if there
 * is one, else the application's; the application's {@link Clock} bean if there is one, else system UTC; and
 * Boot's {@link JsonMapper} if there is one. On the application's {@code DataSource}, its journal writes run in new
 * transactions ({@code REQUIRES_NEW}) of the application's transaction manager when there is exactly one, so
 * that they suspend an application transaction of any kind (a JPA one included) rather than join it.
 *
 * <pre>{@code
 * reversible.jdbc.enabled=false   # back to in-memory compensations
 * }</pre>
 */
@AutoConfiguration(after = ReversibleAutoConfiguration.class, afterName = {
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration" })
@ConditionalOnClass(name = "dev.reversible.jdbc.JdbcJournal")
@ConditionalOnBean({ DataSource.class, ReversibleOperationSource.class })
@ConditionalOnBooleanProperty(name = "reversible.jdbc.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ReversibleJdbcProperties.class)
public final class ReversibleJdbcAutoConfiguration {

    private static final String SCHEMA_INITIALIZER = "reversibleJournalSchemaInitializer";

    /**
     * Built once the schema is applied, then checked: a missing or outdated schema stops start-up with a
     * {@code JournalSchemaException} naming the script to apply.
     */
    @Bean
    @ConditionalOnMissingBean
    JdbcJournal jdbcJournal(@ReversibleDataSource ObjectProvider<DataSource> journalDataSource, ObjectProvider<DataSource> dataSource,
            ReversibleJdbcProperties properties, ObjectProvider<JsonMapper> jsonMapper, ObjectProvider<Clock> clock,
            ObjectProvider<PlatformTransactionManager> transactionManager, BeanFactory beanFactory) {
        // Looked up by name, so that this class needs no spring-boot-jdbc type: the schema first, then the check.
        if (beanFactory.containsBean(SCHEMA_INITIALIZER)) {
            beanFactory.getBean(SCHEMA_INITIALIZER);
        }
        DataSource marked = journalDataSource.getIfAvailable();
        JdbcJournal.Builder builder = JdbcJournal.builder(marked != null ? marked : dataSource.getObject())
                .settings(properties.settings())
                .clock(clock.getIfUnique(Clock::systemUTC));
        if (marked == null) {
            // On the application's DataSource, the journal's own transactions must suspend the application's,
            // whatever manages them (a JPA transaction holds its connection): so they go through its manager.
            transactionManager.ifUnique(builder::transactionManager);
        }
        jsonMapper.ifUnique(builder::jsonMapper);
        JdbcJournal journal = builder.build();
        journal.verifySchema();
        return journal;
    }

    @Bean
    @ConditionalOnMissingBean
    InstanceRegistry journalInstanceRegistry(JdbcJournal jdbcJournal) {
        return new InstanceRegistry(jdbcJournal);
    }

    /** This life of this application instance, registered (and heartbeating) from start-up on. */
    @Bean
    @ConditionalOnMissingBean
    JournalInstance journalInstance(InstanceRegistry journalInstanceRegistry, ReversibleJdbcProperties properties, Environment environment) {
        String name = properties.instanceName() != null ? properties.instanceName()
                : environment.getProperty("spring.application.name", "application") + "@" + hostName();
        return journalInstanceRegistry.register(name);
    }

    @Bean
    @ConditionalOnMissingBean
    SagaJournal sagaJournal(JdbcJournal jdbcJournal, JournalInstance journalInstance) {
        return new SagaJournal(jdbcJournal, journalInstance);
    }

    @Bean
    @ConditionalOnMissingBean
    SagaClaims sagaClaims(JdbcJournal jdbcJournal, JournalInstance journalInstance) {
        return new SagaClaims(jdbcJournal, journalInstance);
    }

    @Bean
    @ConditionalOnMissingBean
    StoredSagas storedSagas(JdbcJournal jdbcJournal) {
        return new StoredSagas(jdbcJournal);
    }

    /** Runs a handler that is {@code @Transactional} on the journal's database in the transaction that marks it done. */
    @Bean
    @ConditionalOnMissingBean
    CompensationTransactions compensationTransactions(JdbcJournal jdbcJournal, BeanFactory beanFactory,
            ObjectProvider<PlatformTransactionManager> transactionManager) {
        return new CompensationTransactions(jdbcJournal, beanFactory, transactionManager);
    }

    /** Refuses, at start-up, a durable action whose arguments the journal could not read back after a crash. */
    @Bean
    @ConditionalOnMissingBean
    JournalPayloadCheck journalPayloadCheck(ReversibleOperationSource reversibleOperationSource, JdbcJournal jdbcJournal) {
        return new JournalPayloadCheck(reversibleOperationSource, jdbcJournal.json());
    }

    /** The core's journal: the executor records every saga in it. */
    @Bean
    @ConditionalOnMissingBean
    JdbcStepJournal jdbcStepJournal(JdbcJournal jdbcJournal, SagaJournal sagaJournal, CompensationTransactions compensationTransactions) {
        return new JdbcStepJournal(jdbcJournal, sagaJournal, compensationTransactions);
    }

    @Bean
    @ConditionalOnMissingBean
    SagaRecovery sagaRecovery(SagaClaims sagaClaims, SagaJournal sagaJournal, JdbcJournal jdbcJournal, BeanFactory beanFactory,
            ReversibleOperationSource reversibleOperationSource, ObjectProvider<SagaExecutor> sagaExecutor, ReversibleJdbcProperties properties,
            CompensationTransactions compensationTransactions, ObjectProvider<Clock> clock) {
        // The executor's own engine rolls recovered sagas back; asked lazily, since the executor's journal is built from this module.
        return new SagaRecovery(sagaClaims, sagaJournal, jdbcJournal.json(), beanFactory, reversibleOperationSource,
                sagaExecutor::getObject, properties.recoveryBatchSize(), compensationTransactions, properties.recovery().foreignGrace(),
                clock.getIfUnique(Clock::systemUTC), properties.recovery().concurrency());
    }

    @Bean
    @ConditionalOnMissingBean
    JournalLifecycle journalLifecycle(InstanceRegistry journalInstanceRegistry, JournalInstance journalInstance, JdbcStepJournal jdbcStepJournal,
            SagaRecovery sagaRecovery, StoredSagas storedSagas, ReversibleJdbcProperties properties, Environment environment,
            SagaCancellation sagaCancellation) {
        Duration shutdownWait = Binder.get(environment).bind("spring.lifecycle.timeout-per-shutdown-phase", Duration.class)
                .orElse(Duration.ofSeconds(30));
        return new JournalLifecycle(journalInstanceRegistry, journalInstance, jdbcStepJournal, sagaRecovery, storedSagas,
                properties.heartbeatInterval(), properties.retention(), shutdownWait, sagaCancellation);
    }

    /** Cancels running sagas here, or through the journal on the instance that runs them. */
    @Bean
    @ConditionalOnMissingBean
    SagaCancellation sagaCancellation(StoredSagas storedSagas, JournalInstance journalInstance, ObjectProvider<SagaExecutor> sagaExecutor) {
        return new SagaCancellation(storedSagas, journalInstance, sagaExecutor::getObject);
    }

    /** The operator API over the journal: list, find, retry and resolve stuck sagas, cancel running ones (the {@code sagas} endpoint uses it). */
    @Bean
    @ConditionalOnMissingBean
    SagaOperations sagaOperations(StoredSagas storedSagas, SagaRecovery sagaRecovery, JournalInstance journalInstance,
            ApplicationEventPublisher events, SagaCancellation sagaCancellation) {
        return new SagaOperations(storedSagas, sagaRecovery, journalInstance, events, sagaCancellation);
    }

    /**
     * The stuck sagas for the health contributor and the gauge, read at most once per heartbeat interval, so
     * that probes and scrapes never hammer the database.
     */
    @Bean
    @ConditionalOnMissingBean
    StuckSagaCount stuckSagaCount(StoredSagas storedSagas, ObjectProvider<Clock> clock, ReversibleJdbcProperties properties,
            SagaRecovery sagaRecovery) {
        return new StuckSagaCount(storedSagas, clock.getIfUnique(Clock::systemUTC), properties.heartbeatInterval(), sagaRecovery);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown-host";
        }
    }

    /** The gauge {@code reversible.saga.stuck}, bound by Boot to every meter registry, when Micrometer is present. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.micrometer.core.instrument.binder.MeterBinder")
    static class StuckSagaMetrics {

        @Bean
        @ConditionalOnMissingBean
        StuckSagaGauge stuckSagaGauge(StuckSagaCount stuckSagaCount) {
            return new StuckSagaGauge(stuckSagaCount);
        }
    }

    /** The schema script through Boot's script initializer, when {@code spring-boot-jdbc} is present. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.jdbc.init.PropertiesBasedDataSourceScriptDatabaseInitializer")
    static class SchemaInitialization {

        @Bean
        @ConditionalOnMissingBean
        JournalSchemaInitializer reversibleJournalSchemaInitializer(@ReversibleDataSource ObjectProvider<DataSource> journalDataSource,
                ObjectProvider<DataSource> dataSource, ReversibleJdbcProperties properties) {
            return new JournalSchemaInitializer(journalDataSource.getIfAvailable(dataSource::getObject),
                    properties.initializeSchema().name(), properties.tablePrefix());
        }
    }
}
