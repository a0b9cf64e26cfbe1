package dev.reversible.test;

import java.time.Duration;

import dev.reversible.jdbc.JdbcJournal;
import dev.reversible.jdbc.JournalJson;
import dev.reversible.jdbc.StoredSagas;
import dev.reversible.spring.autoconfigure.ReversibleAutoConfiguration;
import dev.reversible.spring.autoconfigure.ReversibleJdbcAutoConfiguration;
import dev.reversible.spring.jdbc.SagaRecovery;
import dev.reversible.spring.metadata.ReversibleOperationSource;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;
import org.springframework.util.function.SingletonSupplier;
import tools.jackson.databind.json.JsonMapper;

/**
 * The test kit's beans, imported by {@link AutoConfigureReversibleTest}. The recorder and the injector are
 * {@code SagaListener} beans, so the starter's executor calls them; the advisor is an infrastructure bean,
 * so Spring's auto-proxy creator applies it next to the saga aspect, inside it. With the starter's durable
 * journal ({@code reversible-jdbc}), the recorder reads it through a {@link JournalReader}. With
 * {@code reversible-jdbc} on the class path, a {@link JournalFixtureRecorder} (fed by an advisor beside the
 * injector's) records a journal fixture and a {@link JournalFixtureCheck} checks a committed one.
 * {@code reversible.test.await-timeout} (default 10s) bounds how long {@link SagaVerifier} waits for
 * asynchronous sagas.
 *
 * <pre>{@code
 * @SpringBootTest
 * @AutoConfigureReversibleTest
 * class OrderSagaTests { ... }
 * }</pre>
 */
@AutoConfiguration(after = { ReversibleAutoConfiguration.class, ReversibleJdbcAutoConfiguration.class })
@ConditionalOnBean(ReversibleOperationSource.class)
public final class ReversibleTestAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    SagaRecorder sagaRecorder(ObjectProvider<JournalReader> journalReader) {
        return new SagaRecorder(journalReader.getIfAvailable());
    }

    @Bean
    @ConditionalOnMissingBean
    FailureInjector failureInjector() {
        return new FailureInjector();
    }

    @Bean
    @ConditionalOnMissingBean
    SagaVerifier sagaVerifier(SagaRecorder sagaRecorder, FailureInjector failureInjector, Environment environment) {
        Duration timeout = Binder.get(environment).bind("reversible.test.await-timeout", Duration.class).orElse(SagaVerifier.DEFAULT_TIMEOUT);
        return new SagaVerifier(sagaRecorder, failureInjector, timeout);
    }

    /** Static, and the injector looked up on first use, like the starter's advisor: advisors are created early. */
    @Bean
    @ConditionalOnMissingBean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static FailureInjectionAdvisor failureInjectionAdvisor(ReversibleOperationSource reversibleOperationSource,
            ObjectProvider<FailureInjector> failureInjector) {
        return new FailureInjectionAdvisor(reversibleOperationSource, SingletonSupplier.of(failureInjector::getObject));
    }

    /** The journal's sagas, read through its public {@link StoredSagas} bean; only with {@code reversible-jdbc}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "dev.reversible.jdbc.StoredSagas")
    @ConditionalOnBean(type = "dev.reversible.jdbc.StoredSagas")
    static class Journal {

        @Bean
        @ConditionalOnMissingBean
        JournalReader sagaJournalReader(StoredSagas storedSagas) {
            return new StoredSagasJournalReader(storedSagas);
        }
    }

    /**
     * The journal fixture: recorded with the journal's own JSON mapping (Boot's {@code JsonMapper}, as the journal
     * builds it, when the journal itself is off), checked through the starter's recovery; only with {@code reversible-jdbc}.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "dev.reversible.jdbc.JournalJson")
    static class Fixture {

        @Bean
        @ConditionalOnMissingBean
        JournalFixtureRecorder journalFixtureRecorder(ObjectProvider<JdbcJournal> jdbcJournal, ObjectProvider<JsonMapper> jsonMapper) {
            JdbcJournal journal = jdbcJournal.getIfUnique();
            return new JournalFixtureRecorder(journal != null ? journal.json()
                    : new JournalJson(jsonMapper.getIfUnique(() -> JsonMapper.builder().build())));
        }

        /** Static, and the recorder looked up on first use, like the injector's advisor. */
        @Bean
        @ConditionalOnMissingBean
        @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
        static JournalFixtureAdvisor journalFixtureAdvisor(ReversibleOperationSource reversibleOperationSource,
                ObjectProvider<JournalFixtureRecorder> journalFixtureRecorder) {
            return new JournalFixtureAdvisor(reversibleOperationSource, SingletonSupplier.of(journalFixtureRecorder::getObject));
        }

        @Bean
        @ConditionalOnMissingBean
        JournalFixtureCheck journalFixtureCheck(ObjectProvider<SagaRecovery> sagaRecovery) {
            return new JournalFixtureCheck(sagaRecovery.getIfUnique());
        }
    }
}
