package dev.reversible.spring.metadata;

import dev.reversible.spring.annotation.Compensate;
import dev.reversible.spring.annotation.ReversibleAction;
import dev.reversible.spring.autoconfigure.ReversibleAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;

import static org.assertj.core.api.Assertions.assertThat;

/** A pushed compensation must be able to name its bean, for a future journal to find it after a restart. */
class BeanNameRegistrationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ReversibleAutoConfiguration.class))
            .withUserConfiguration(Beans.class);

    @Test
    void singletonBeansWithActionsAreNamedByIdentityEvenWhenTwoShareAClass() {
        this.contextRunner.run(context -> {
            ReversibleOperationSource source = context.getBean(ReversibleOperationSource.class);
            Object east = AopProxyUtils.getSingletonTarget(context.getBean("eastWarehouse"));
            Object west = AopProxyUtils.getSingletonTarget(context.getBean("westWarehouse"));
            assertThat(source.beanName(east)).isEqualTo("eastWarehouse");
            assertThat(source.beanName(west)).isEqualTo("westWarehouse");
        });
    }

    @Test
    void prototypeBeansAreNotRememberedSoNoInstanceIsKeptAlive() {
        this.contextRunner.run(context -> {
            ReversibleOperationSource source = context.getBean(ReversibleOperationSource.class);
            Object prototype = AopProxyUtils.getSingletonTarget(context.getBean("temporaryWarehouse"));
            assertThat(prototype).isInstanceOf(Warehouse.class);
            assertThat(source.beanName(prototype)).isNull();
        });
    }

    static class Warehouse {
        @ReversibleAction
        public void reserve(String sku) {
        }

        @Compensate("reserve")
        public void release(String sku) {
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Beans {
        @Bean
        Warehouse eastWarehouse() {
            return new Warehouse();
        }

        @Bean
        Warehouse westWarehouse() {
            return new Warehouse();
        }

        @Bean
        @Scope("prototype")
        Warehouse temporaryWarehouse() {
            return new Warehouse();
        }
    }
}
