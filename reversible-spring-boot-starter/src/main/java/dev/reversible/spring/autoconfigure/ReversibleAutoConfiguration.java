package dev.reversible.spring.autoconfigure;

import java.time.Clock;

import dev.reversible.core.SagaExecutor;
import dev.reversible.core.SagaJournal;
import dev.reversible.core.SagaListener;
import dev.reversible.spring.aop.AdvisorOrderPostProcessor;
import dev.reversible.spring.aop.ReversibleAdvisor;
import dev.reversible.spring.aop.ReversibleInterceptor;
import dev.reversible.spring.aop.StepTransactions;
import dev.reversible.spring.logging.SagaLoggingListener;
import dev.reversible.spring.metadata.ReversibleBeanValidator;
import dev.reversible.spring.metadata.ReversibleOperationSource;
import dev.reversible.spring.metadata.SagaBeanRegistry;
import dev.reversible.spring.observation.SagaMdcListener;
import dev.reversible.spring.statistics.SagaStatistics;

import org.springframework.aop.config.AopConfigUtils;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.util.ClassUtils;
import org.springframework.util.function.SingletonSupplier;

/**
 * Sagas for annotated beans: the executor (injectable, for programmatic sagas too), the aspect, the
 * start-up validation of every bean's annotations, the statistics and the log lines. Every bean backs
 * off when the application defines its own.
 *
 * <pre>{@code
 * reversible.enabled=false   # switches all of it off
 * }</pre>
 */
@AutoConfiguration(afterName = "org.springframework.boot.autoconfigure.aop.AopAutoConfiguration")
@ConditionalOnBooleanProperty(name = "reversible.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ReversibleProperties.class)
@Import(ReversibleAutoConfiguration.AutoProxyRegistrar.class)
public final class ReversibleAutoConfiguration {

    private static final String TRANSACTIONS = "org.springframework.transaction.support.TransactionSynchronizationManager";

    @Bean
    @ConditionalOnMissingBean
    SagaStatistics sagaStatistics(ReversibleProperties properties) {
        return new SagaStatistics(properties.historySize(), Clock.systemUTC());
    }

    @Bean
    @ConditionalOnMissingBean
    SagaLoggingListener sagaLoggingListener() {
        return new SagaLoggingListener();
    }

    /** The saga's id and name in the logging MDC while its body, steps and compensations run. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnClass(name = "org.slf4j.MDC")
    SagaMdcListener sagaMdcListener() {
        return new SagaMdcListener();
    }

    /**
     * Annotated and programmatic sagas share this executor, so its policy, retry, listeners and journal apply
     * to both. An application that defines its own executor must add the {@link SagaStatistics} and
     * {@link SagaLoggingListener} beans as its listeners itself, or the endpoint and meters stay at zero, and
     * the journal bean ({@code reversible-jdbc}) as its journal, or nothing is recorded; a
     * {@link SagaExecutorCustomizer} avoids that.
     */
    @Bean
    @ConditionalOnMissingBean
    SagaExecutor sagaExecutor(ReversibleProperties properties, ObjectProvider<SagaListener> listeners,
            ObjectProvider<SagaJournal> journal, ObjectProvider<SagaExecutorCustomizer> customizers) {
        SagaExecutor.Builder builder = SagaExecutor.builder()
                .rollbackPolicy(properties.rollbackPolicy())
                .compensationRetry(properties.compensation().retry().maxAttempts(), properties.compensation().retry().backoff())
                .journal(journal.getIfUnique());
        // The core calls every listener with the saga suspended, however it was added: no wrapping needed here.
        listeners.orderedStream().forEach(builder::listener);
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        return builder.build();
    }

    /** A bean of its own, so that whatever must name a step's bean (a journal) reads it without the metadata. */
    @Bean
    @ConditionalOnMissingBean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static SagaBeanRegistry sagaBeanRegistry() {
        return new SagaBeanRegistry();
    }

    @Bean
    @ConditionalOnMissingBean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static ReversibleOperationSource reversibleOperationSource(SagaBeanRegistry sagaBeanRegistry) {
        return new ReversibleOperationSource(sagaBeanRegistry);
    }

    /** Backs off like every other bean here, so an application can replace the check. */
    @Bean
    @ConditionalOnMissingBean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static ReversibleBeanValidator reversibleBeanValidator(ReversibleOperationSource reversibleOperationSource) {
        return new ReversibleBeanValidator(reversibleOperationSource);
    }

    /**
     * Static, and the executor looked up on first use: advisors are created early, while post-processors
     * are still being registered, before most beans exist. For the same reason the properties are bound
     * from the {@link Environment} here rather than injected: injecting the {@link ReversibleProperties}
     * bean would create it during post-processor registration, and Spring then warns in every application
     * that it "is not eligible for getting processed by all BeanPostProcessors".
     */
    @Bean
    @ConditionalOnMissingBean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static ReversibleAdvisor reversibleAdvisor(ReversibleOperationSource reversibleOperationSource, ObjectProvider<SagaExecutor> sagaExecutor,
            Environment environment, ListableBeanFactory beanFactory) {
        ReversibleProperties properties = Binder.get(environment).bindOrCreate("reversible", ReversibleProperties.class);
        StepTransactions transactions = ClassUtils.isPresent(TRANSACTIONS, ReversibleAutoConfiguration.class.getClassLoader())
                ? TransactionSupport.stepTransactions(beanFactory) : StepTransactions.NONE;
        ReversibleInterceptor interceptor = new ReversibleInterceptor(reversibleOperationSource,
                SingletonSupplier.of(sagaExecutor::getObject), properties.outsideSaga(), transactions);
        ReversibleAdvisor advisor = new ReversibleAdvisor(reversibleOperationSource, interceptor);
        advisor.setOrder(properties.aspectOrder());
        return advisor;
    }

    /**
     * Keeps a {@code @Retryable @ReversibleAction} one step over all its attempts, and makes an
     * {@code @Async @ReversibleAction} take its place on the caller's thread: Spring's retry and async
     * advisors are added in front of existing advisors, whatever {@code reversible.aspect-order} says, so
     * the saga aspect is moved outside them for those methods; and moves it inside {@code @Transactional} for
     * the actions whose record is written in their own transaction. Static, like every bean post-processor.
     */
    @Bean
    @ConditionalOnMissingBean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static AdvisorOrderPostProcessor advisorOrderPostProcessor(ReversibleOperationSource reversibleOperationSource) {
        return ClassUtils.isPresent(TRANSACTIONS, ReversibleAutoConfiguration.class.getClassLoader())
                ? new AdvisorOrderPostProcessor(reversibleOperationSource, TransactionSupport::isTransactionAdvice)
                : new AdvisorOrderPostProcessor(reversibleOperationSource);
    }

    /** Makes every saga and action name known once all beans are validated, so they show before their first run. */
    @Bean
    SmartInitializingSingleton reversibleNamesRegistrar(ReversibleOperationSource reversibleOperationSource, ObjectProvider<SagaStatistics> statistics) {
        return () -> statistics.ifAvailable(s -> {
            reversibleOperationSource.sagaNames().forEach(s::saga);
            reversibleOperationSource.actionNames().forEach(s::action);
        });
    }

    /**
     * Registers Spring's infrastructure auto-proxy creator unless one is there already (AspectJ's, when
     * {@code spring-boot-starter-aspectj} is present): the aspect then works without AspectJ on the classpath.
     */
    static class AutoProxyRegistrar implements ImportBeanDefinitionRegistrar {

        @Override
        public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
            AopConfigUtils.registerAutoProxyCreatorIfNecessary(registry);
        }
    }
}
