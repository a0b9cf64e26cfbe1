package dev.reversible.spring.aop;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import dev.reversible.spring.annotation.Compensate;
import dev.reversible.spring.annotation.ReversibleAction;
import dev.reversible.spring.annotation.ReversibleSaga;
import dev.reversible.spring.autoconfigure.ReversibleAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.context.annotation.Scope;
import org.springframework.context.annotation.ScopedProxyMode;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Any bean can hold actions, whatever its scope: a prototype, a request-scoped bean behind its scoped
 * proxy, a lazy bean. In a failing saga, each compensation runs on the very instance that ran its step.
 */
class BeanScopeTests {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ReversibleAutoConfiguration.class))
            .withUserConfiguration(Config.class);

    @Test
    void compensationRunsOnTheSamePrototypeInstanceThatRanTheStep() {
        runner.run(context -> {
            CallLog log = context.getBean(CallLog.class);
            IllegalStateException failure = new IllegalStateException("declined");

            Throwable thrown = catchThrowable(() -> context.getBean(Checkout.class).withTwoPrototypes(failure));

            assertThat(thrown).isSameAs(failure);
            assertThat(log.calls()).containsExactly("hold apple on tally#1", "hold pear on tally#2",
                    "release pear on tally#2", "release apple on tally#1");
        });
    }

    @Test
    void compensationRunsOnTheRequestsOwnInstanceBehindTheScopedProxy() {
        runner.run(context -> {
            CallLog log = context.getBean(CallLog.class);
            Checkout checkout = context.getBean(Checkout.class);
            Basket basket = context.getBean(Basket.class);
            String first = inRequest(() -> {
                checkout.withBasket("apple", null);
                return basket.name() + " holds " + basket.items();
            });
            IllegalStateException failure = new IllegalStateException("declined");

            String second = inRequest(() -> {
                Throwable thrown = catchThrowable(() -> checkout.withBasket("pear", failure));
                assertThat(thrown).isSameAs(failure);
                return basket.name() + " holds " + basket.items();
            });

            assertThat(log.calls()).containsExactly("hold apple on basket#1", "hold pear on basket#2", "release pear on basket#2");
            assertThat(first).isEqualTo("basket#1 holds [apple]");
            assertThat(second).isEqualTo("basket#2 holds []");
        });
    }

    @Test
    void lazyBeanIsCreatedOnlyWhenUsedAndItsStepIsCompensatedOnThatInstance() {
        runner.run(context -> {
            CallLog log = context.getBean(CallLog.class);
            Instances instances = context.getBean(Instances.class);
            assertThat(instances.vaults.get()).isZero();
            IllegalStateException failure = new IllegalStateException("declined");

            Throwable thrown = catchThrowable(() -> context.getBean(Checkout.class).withVault(failure));

            assertThat(thrown).isSameAs(failure);
            assertThat(instances.vaults.get()).isEqualTo(1);
            assertThat(log.calls()).containsExactly("hold gold on vault#1", "release gold on vault#1");
        });
    }

    private static <T> T inRequest(Supplier<T> work) {
        ServletRequestAttributes request = new ServletRequestAttributes(new MockHttpServletRequest());
        RequestContextHolder.setRequestAttributes(request);
        try {
            return work.get();
        } finally {
            request.requestCompleted();
            RequestContextHolder.resetRequestAttributes();
        }
    }

    /** Numbers the instances of each kind, so a call names the instance it ran on. */
    static final class Instances {

        final AtomicInteger tallies = new AtomicInteger();
        final AtomicInteger baskets = new AtomicInteger();
        final AtomicInteger vaults = new AtomicInteger();
    }

    /** Holds items; each instance logs under its own name. */
    static class Holder {

        private final List<String> items = new ArrayList<>();
        private final CallLog log;
        private final String name;

        Holder(CallLog log, String name) {
            this.log = log;
            this.name = name;
        }

        public String name() {
            return name;
        }

        public List<String> items() {
            return List.copyOf(items);
        }

        @ReversibleAction
        public void hold(String item) {
            items.add(item);
            log.add("hold " + item + " on " + name);
        }

        @Compensate("hold")
        public void release(String item) {
            items.remove(item);
            log.add("release " + item + " on " + name);
        }
    }

    static class Tally extends Holder {

        Tally(CallLog log, Instances instances) {
            super(log, "tally#" + instances.tallies.incrementAndGet());
        }
    }

    static class Basket extends Holder {

        Basket(CallLog log, Instances instances) {
            super(log, "basket#" + instances.baskets.incrementAndGet());
        }
    }

    static class Vault extends Holder {

        Vault(CallLog log, Instances instances) {
            super(log, "vault#" + instances.vaults.incrementAndGet());
        }
    }

    static class Checkout {

        private final ObjectProvider<Tally> tallies;
        private final Basket basket;
        private final Vault vault;

        Checkout(ObjectProvider<Tally> tallies, Basket basket, Vault vault) {
            this.tallies = tallies;
            this.basket = basket;
            this.vault = vault;
        }

        @ReversibleSaga
        public void withTwoPrototypes(RuntimeException failure) {
            tallies.getObject().hold("apple");
            tallies.getObject().hold("pear");
            throw failure;
        }

        @ReversibleSaga
        public void withBasket(String item, RuntimeException failure) {
            basket.hold(item);
            if (failure != null) {
                throw failure;
            }
        }

        @ReversibleSaga
        public void withVault(RuntimeException failure) {
            vault.hold("gold");
            throw failure;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Config {

        @Bean
        CallLog callLog() {
            return new CallLog();
        }

        @Bean
        Instances instances() {
            return new Instances();
        }

        @Bean
        @Scope("prototype")
        Tally tally(CallLog log, Instances instances) {
            return new Tally(log, instances);
        }

        @Bean
        @Scope(value = "request", proxyMode = ScopedProxyMode.TARGET_CLASS)
        Basket basket(CallLog log, Instances instances) {
            return new Basket(log, instances);
        }

        @Bean
        @Lazy
        Vault vault(CallLog log, Instances instances) {
            return new Vault(log, instances);
        }

        @Bean
        Checkout checkout(ObjectProvider<Tally> tallies, Basket basket, @Lazy Vault vault) {
            return new Checkout(tallies, basket, vault);
        }
    }
}
