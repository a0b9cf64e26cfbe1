package dev.reversible.test;

import dev.reversible.spring.autoconfigure.ReversibleAutoConfiguration;
import dev.reversible.spring.metadata.ReversibleOperationSource;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;
import org.springframework.util.function.SingletonSupplier;

/**
 * The test kit's beans, imported by {@link AutoConfigureReversibleTest}. The recorder and the injector are
 * {@code SagaListener} beans, so the starter's executor calls them; the advisor is an infrastructure bean,
 * so Spring's auto-proxy creator applies it next to the saga aspect, inside it.
 *
 * <pre>{@code
 * @SpringBootTest
 * @AutoConfigureReversibleTest
 * class OrderSagaTests { ... }
 * }</pre>
 */
@AutoConfiguration(after = ReversibleAutoConfiguration.class)
@ConditionalOnBean(ReversibleOperationSource.class)
public final class ReversibleTestAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    SagaRecorder sagaRecorder() {
        return new SagaRecorder();
    }

    @Bean
    @ConditionalOnMissingBean
    FailureInjector failureInjector() {
        return new FailureInjector();
    }

    @Bean
    @ConditionalOnMissingBean
    SagaVerifier sagaVerifier(SagaRecorder sagaRecorder, FailureInjector failureInjector) {
        return new SagaVerifier(sagaRecorder, failureInjector);
    }

    /** Static, and the injector looked up on first use, like the starter's advisor: advisors are created early. */
    @Bean
    @ConditionalOnMissingBean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static FailureInjectionAdvisor failureInjectionAdvisor(ReversibleOperationSource reversibleOperationSource,
            ObjectProvider<FailureInjector> failureInjector) {
        return new FailureInjectionAdvisor(reversibleOperationSource, SingletonSupplier.of(failureInjector::getObject));
    }
}
