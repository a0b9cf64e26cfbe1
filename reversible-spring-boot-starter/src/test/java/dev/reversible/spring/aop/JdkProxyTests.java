package dev.reversible.spring.aop;

import dev.reversible.spring.CompensationContext;
import dev.reversible.spring.annotation.Compensate;
import dev.reversible.spring.annotation.ReversibleAction;
import dev.reversible.spring.annotation.ReversibleSaga;
import dev.reversible.spring.statistics.SagaStatistics;
import org.junit.jupiter.api.Test;

import org.springframework.aop.support.AopUtils;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Beans behind interface-based (JDK) proxies — what an application gets with
 * {@code spring.aop.proxy-target-class=false}: annotations on the implementation still apply when called
 * through the interface, the saga is named after the implementation class, and a handler the interface
 * does not declare is called on the target.
 */
class JdkProxyTests {

    private final ApplicationContextRunner runner = SagaContexts.runner().withUserConfiguration(Config.class);

    @Test
    void sagaAndStepsCalledThroughInterfacesRollBackWithTheImplementationsNames() {
        runner.run(context -> {
            Checkout checkout = context.getBean(Checkout.class);
            CallLog log = context.getBean(CallLog.class);
            assertThat(AopUtils.isJdkDynamicProxy(checkout)).isTrue();
            assertThat(AopUtils.isJdkDynamicProxy(context.getBean(Ledger.class))).isTrue();
            IllegalStateException failure = new IllegalStateException("checkout fails");

            Throwable thrown = catchThrowable(() -> checkout.checkout("o1", failure));

            assertThat(thrown).isSameAs(failure);
            assertThat(log.calls()).containsExactly("post o1", "post o1/2", "unpost o1/2 #1 in CheckoutService.checkout",
                    "unpost o1 #0 in CheckoutService.checkout");
            assertThat(context.getBean(SagaStatistics.class).findSaga("CheckoutService.checkout").compensated()).isEqualTo(1);
            assertThat(context.getBean(SagaStatistics.class).sagas().keySet()).noneMatch(name -> name.contains("$Proxy"));
        });
    }

    interface Checkout {
        void checkout(String order, RuntimeException failure);
    }

    interface Ledger {
        String post(String entry);
    }

    @Configuration(proxyBeanMethods = false)
    static class Config {

        @Bean
        CallLog callLog() {
            return new CallLog();
        }

        @Bean
        Ledger ledger(CallLog callLog) {
            return new LedgerService(callLog);
        }

        @Bean
        Checkout checkout(Ledger ledger) {
            return new CheckoutService(ledger);
        }
    }

    static class LedgerService implements Ledger {

        private final CallLog log;

        LedgerService(CallLog log) {
            this.log = log;
        }

        @Override
        @ReversibleAction
        public String post(String entry) {
            log.add("post " + entry);
            return entry;
        }

        /** Not on the interface: the proxy cannot dispatch it, so it is called on the target. */
        @Compensate("post")
        public void unpost(String entry, String posted, CompensationContext context) {
            log.add("unpost " + posted + " #" + context.stepIndex() + " in " + context.sagaName());
        }
    }

    static class CheckoutService implements Checkout {

        private final Ledger ledger;

        CheckoutService(Ledger ledger) {
            this.ledger = ledger;
        }

        @Override
        @ReversibleSaga
        public void checkout(String order, RuntimeException failure) {
            ledger.post(order);
            ledger.post(order + "/2");
            throw failure;
        }
    }
}
