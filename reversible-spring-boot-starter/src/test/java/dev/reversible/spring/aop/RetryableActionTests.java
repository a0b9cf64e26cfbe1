package dev.reversible.spring.aop;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import dev.reversible.spring.CompensationContext;
import dev.reversible.spring.annotation.Compensate;
import dev.reversible.spring.annotation.ReversibleAction;
import dev.reversible.spring.annotation.ReversibleSaga;
import dev.reversible.spring.statistics.ActionCounts;
import dev.reversible.spring.statistics.SagaStatistics;
import org.aopalliance.aop.Advice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.aop.Advisor;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.core.Ordered;
import org.springframework.resilience.annotation.EnableResilientMethods;
import org.springframework.resilience.annotation.Retryable;
import org.springframework.resilience.retry.AbstractRetryInterceptor;
import org.springframework.resilience.retry.MethodRetrySpec;
import org.springframework.resilience.retry.SimpleRetryInterceptor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * An action that is also {@code @Retryable} (Spring Framework 7) is one step whose {@code forwards} spans
 * every attempt, compensated once, if at all — whichever way the retry advice and the saga aspect end up
 * stacked on the bean: Spring's retry post-processor adds its advisor in front of the auto-proxy creator's
 * proxy (the default), or, when it runs first, proxies the bean itself and the saga aspect wraps that proxy;
 * an application's own retry advisor bean is sorted with the aspect by order, on either side of it.
 */
class RetryableActionTests {

    /** With Boot's AOP auto-configuration, as in an application: class proxies, so a proxy can wrap a proxy. */
    private final ApplicationContextRunner runner = SagaContexts.runner()
            .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class))
            .withUserConfiguration(Beans.class);

    /** Retry advice added to the saga aspect's proxy, at index 0: the aspect is split around it. */
    private final ApplicationContextRunner retryAddedToTheProxy = runner.withUserConfiguration(RetryAfterAutoProxy.class);

    /** Retry post-processor ordered first: it proxies the bean, the auto-proxy creator proxies that proxy. */
    private final ApplicationContextRunner retryProxiedFirst = runner.withUserConfiguration(RetryBeforeAutoProxy.class);

    @Test
    void retryAdviceAddedToTheSagaProxyIsWrappedByTheAspectForRetriedActionsOnly() {
        retryAddedToTheProxy.run(context -> {
            Advised payments = (Advised) context.getBean(Payments.class);

            assertThat(advice(payments.getAdvisors())).containsExactly(ReversibleInterceptor.class, AbstractRetryInterceptor.class,
                    ReversibleInterceptor.class);
            assertThat(payments.getAdvisors()[0].toString()).contains("retried actions");
        });
    }

    @ParameterizedTest(name = "reversible.aspect-order={0}")
    @ValueSource(ints = { Ordered.HIGHEST_PRECEDENCE, 0, Ordered.LOWEST_PRECEDENCE })
    void aspectOrderDoesNotMoveTheRetryAdviceWhichSpringAddsInFrontOfExistingAdvisors(int aspectOrder) {
        retryAddedToTheProxy.withUserConfiguration(UnchangedProxies.class).withPropertyValues("reversible.aspect-order=" + aspectOrder)
                .run(context -> {
                    Advised payments = (Advised) context.getBean(Payments.class);

                    assertThat(advice(payments.getAdvisors())).containsExactly(AbstractRetryInterceptor.class, ReversibleInterceptor.class);
                });
    }

    @Test
    void withoutTheSplitEachAttemptIsAStepCompensatedBeforeTheNext() {
        retryAddedToTheProxy.withUserConfiguration(UnchangedProxies.class).run(context -> {
            CallLog log = context.getBean(CallLog.class);
            context.getBean(Payments.class).succeedOnAttempt(3);

            catchThrowable(() -> context.getBean(Orders.class).placeOrder("o1", new IllegalStateException("saga fails")));

            assertThat(log.calls()).containsExactly("charge 1", "undo charge", "charge 2", "undo charge", "charge 3", "b", "undo b",
                    "undo charge");
        });
    }

    @Test
    void retryPostProcessorOrderedFirstLeavesTheAspectOnAProxyAroundTheRetryProxyAndMovesRetriedSagasInside() {
        retryProxiedFirst.run(context -> {
            Advised payments = (Advised) context.getBean(Payments.class);
            Advised retryProxy = (Advised) payments.getTargetSource().getTarget();

            assertThat(advice(payments.getAdvisors())).containsExactly(ReversibleInterceptor.class);
            assertThat(payments.getAdvisors()[0].toString()).contains("all but retried sagas");
            assertThat(advice(retryProxy.getAdvisors())).containsExactly(AbstractRetryInterceptor.class, ReversibleInterceptor.class);
            assertThat(retryProxy.getAdvisors()[1].toString()).contains("retried sagas");
        });
    }

    @ParameterizedTest(name = "retry post-processor first: {0}")
    @ValueSource(booleans = { false, true })
    void actionSucceedingOnItsThirdAttemptIsOneStepCompensatedOnceWhenTheSagaFails(boolean retryFirst) {
        (retryFirst ? retryProxiedFirst : retryAddedToTheProxy).run(context -> {
            CallLog log = context.getBean(CallLog.class);
            context.getBean(Payments.class).succeedOnAttempt(3);
            IllegalStateException failure = new IllegalStateException("saga fails");

            Throwable thrown = catchThrowable(() -> context.getBean(Orders.class).placeOrder("o1", failure));

            assertThat(thrown).isSameAs(failure);
            assertThat(log.calls()).containsExactly("charge 1", "charge 2", "charge 3", "b", "undo b", "undo charge");
            CallLog.Compensation charge = log.compensationOf("charge");
            assertThat(charge.result()).isEqualTo("CHARGE(o1)");
            assertThat(charge.context().failure()).isNull();
            assertThat(charge.context().stepIndex()).isZero();
            assertThat(log.compensationOf("b").context().stepIndex()).isEqualTo(1);
            ActionCounts counts = context.getBean(SagaStatistics.class).actions().get("charge");
            assertThat(counts.completed()).isOne();
            assertThat(counts.failed()).isZero();
            assertThat(counts.compensated()).isOne();
        });
    }

    @ParameterizedTest(name = "retry post-processor first: {0}")
    @ValueSource(booleans = { false, true })
    void actionFailingEveryAttemptIsCompensatedOnceSeeingTheLastFailureWhichTheCallerGets(boolean retryFirst) {
        (retryFirst ? retryProxiedFirst : retryAddedToTheProxy).run(context -> {
            CallLog log = context.getBean(CallLog.class);
            Payments payments = context.getBean(Payments.class);
            payments.succeedOnAttempt(Integer.MAX_VALUE);

            Throwable thrown = catchThrowable(() -> context.getBean(Orders.class).placeOrder("o1", null));

            assertThat(payments.failures()).hasSize(3);
            Exception lastAttempt = payments.failures().get(2);
            assertThat(thrown).isSameAs(lastAttempt);
            assertThat(log.calls()).containsExactly("charge 1", "charge 2", "charge 3", "undo charge");
            CallLog.Compensation charge = log.compensationOf("charge");
            assertThat(charge.result()).isNull();
            assertThat(charge.context().failure()).isSameAs(lastAttempt);
            ActionCounts counts = context.getBean(SagaStatistics.class).actions().get("charge");
            assertThat(counts.failed()).isOne();
            assertThat(counts.compensated()).isOne();
        });
    }

    @ParameterizedTest(name = "retry post-processor first: {0}")
    @ValueSource(booleans = { false, true })
    void retriedActionCalledOutsideASagaIsOneStepSaga(boolean retryFirst) {
        (retryFirst ? retryProxiedFirst : retryAddedToTheProxy).run(context -> {
            CallLog log = context.getBean(CallLog.class);
            Payments payments = context.getBean(Payments.class);
            payments.succeedOnAttempt(2);

            String result = payments.charge("o1");

            assertThat(result).isEqualTo("CHARGE(o1)");
            assertThat(log.calls()).containsExactly("charge 1", "charge 2");
        });
    }

    @ParameterizedTest(name = "retry post-processor first: {0}")
    @ValueSource(booleans = { false, true })
    void retriedSagaOnTheSameBeanHasTheRetryOutsideSoEachAttemptIsRolledBackBeforeTheNext(boolean retryFirst) {
        (retryFirst ? retryProxiedFirst : retryAddedToTheProxy).run(context -> {
            CallLog log = context.getBean(CallLog.class);
            Payments payments = context.getBean(Payments.class);

            payments.settle("o1");

            assertThat(log.calls()).containsExactly("a", "undo a", "a");
            assertThat(context.getBean(SagaStatistics.class).findSaga("Payments.settle").compensated()).isEqualTo(1);
            assertThat(context.getBean(SagaStatistics.class).findSaga("Payments.settle").completed()).isEqualTo(1);
        });
    }

    /** A retry advisor bean at order 100, sorted with the aspect: outside it at aspect order 150, inside at 50. */
    @ParameterizedTest(name = "reversible.aspect-order={0}")
    @CsvSource({ "150, 'ACTIONS_OUTSIDE, RETRY, ASPECT'", "50, 'ASPECT, RETRY, SAGAS_INSIDE'" })
    void retryAdvisorBeanOnEitherSideOfTheAspectOrderGivesOneStep(int aspectOrder, String chain) {
        runner.withUserConfiguration(RetryAdvisorBean.class).withPropertyValues("reversible.aspect-order=" + aspectOrder).run(context -> {
            CallLog log = context.getBean(CallLog.class);
            Advised payments = (Advised) context.getBean(Payments.class);
            context.getBean(Payments.class).succeedOnAttempt(3);

            catchThrowable(() -> context.getBean(Orders.class).placeOrder("o1", new IllegalStateException("saga fails")));

            assertThat(chain(payments.getAdvisors())).isEqualTo(chain);
            assertThat(log.calls()).containsExactly("charge 1", "charge 2", "charge 3", "b", "undo b", "undo charge");
        });
    }

    private static String chain(Advisor[] advisors) {
        return Arrays.stream(advisors).map(advisor -> {
            if (advisor.getAdvice() instanceof AbstractRetryInterceptor) {
                return "RETRY";
            }
            String name = advisor.toString();
            return name.contains("outside the retry") ? "ACTIONS_OUTSIDE" : name.contains("inside the retry") ? "SAGAS_INSIDE" : "ASPECT";
        }).collect(Collectors.joining(", "));
    }

    private static List<Class<?>> advice(Advisor[] advisors) {
        return Arrays.stream(advisors).map(Advisor::getAdvice).map(RetryableActionTests::kind).toList();
    }

    private static Class<?> kind(Advice advice) {
        return advice instanceof AbstractRetryInterceptor ? AbstractRetryInterceptor.class : advice.getClass();
    }

    @Configuration(proxyBeanMethods = false)
    static class Beans {

        @Bean
        CallLog callLog() {
            return new CallLog();
        }

        @Bean
        Steps steps(CallLog callLog) {
            return new Steps(callLog);
        }

        @Bean
        Payments payments(CallLog callLog, Steps steps) {
            return new Payments(callLog, steps);
        }

        @Bean
        Orders orders(Payments payments, Steps steps) {
            return new Orders(payments, steps);
        }
    }

    /** The default: the retry post-processor at {@code LOWEST_PRECEDENCE}, after the auto-proxy creator. */
    @Configuration(proxyBeanMethods = false)
    @EnableResilientMethods
    static class RetryAfterAutoProxy {
    }

    /** At the auto-proxy creator's own order, and registered before it, the retry post-processor runs first. */
    @Configuration(proxyBeanMethods = false)
    @EnableResilientMethods(order = Ordered.HIGHEST_PRECEDENCE)
    static class RetryBeforeAutoProxy {
    }

    /**
     * An application's own retry advisor, a bean the auto-proxy creator sorts with the aspect, at order 100
     * (infrastructure, as the creator without AspectJ only applies infrastructure advisors).
     */
    @Configuration(proxyBeanMethods = false)
    static class RetryAdvisorBean {

        @Bean
        @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
        static DefaultPointcutAdvisor retryAdvisor() {
            MethodRetrySpec spec = new MethodRetrySpec((method, failure) -> true, 2, Duration.ZERO);
            DefaultPointcutAdvisor advisor = new DefaultPointcutAdvisor(AnnotationMatchingPointcut.forMethodAnnotation(Retryable.class),
                    new SimpleRetryInterceptor(spec));
            advisor.setOrder(100);
            return advisor;
        }
    }

    /** Replaces the starter's post-processor with one that changes nothing, to show the chain Spring builds. */
    @Configuration(proxyBeanMethods = false)
    static class UnchangedProxies {

        @Bean
        static AdvisorOrderPostProcessor unchangedProxies() {
            return new AdvisorOrderPostProcessor(null) {

                @Override
                public Object postProcessAfterInitialization(Object bean, String beanName) {
                    return bean;
                }
            };
        }
    }

    static class Orders {

        private final Payments payments;
        private final Steps steps;

        Orders(Payments payments, Steps steps) {
            this.payments = payments;
            this.steps = steps;
        }

        @ReversibleSaga
        public void placeOrder(String order, RuntimeException failure) throws Exception {
            payments.charge(order);
            steps.b(order);
            if (failure != null) {
                throw failure;
            }
        }
    }

    /** A charge that fails until a given attempt, and a saga retried once. */
    static class Payments {

        private final CallLog log;
        private final Steps steps;
        private final AtomicInteger attempts = new AtomicInteger();
        private final List<Exception> failures = new CopyOnWriteArrayList<>();
        private volatile int succeedOnAttempt = 1;
        private final AtomicInteger settlements = new AtomicInteger();

        Payments(CallLog log, Steps steps) {
            this.log = log;
            this.steps = steps;
        }

        void succeedOnAttempt(int attempt) {
            succeedOnAttempt = attempt;
        }

        List<Exception> failures() {
            return List.copyOf(failures);
        }

        @Retryable(maxRetries = 2, delay = 0)
        @ReversibleAction
        public String charge(String order) {
            int attempt = attempts.incrementAndGet();
            log.add("charge " + attempt);
            if (attempt < succeedOnAttempt) {
                IllegalStateException failure = new IllegalStateException("attempt " + attempt + " declined");
                failures.add(failure);
                throw failure;
            }
            return "CHARGE(" + order + ")";
        }

        @Compensate("charge")
        public void refund(String order, String result, CompensationContext context) throws Exception {
            log.compensate("charge", order, result, context);
        }

        @Retryable(maxRetries = 1, delay = 0)
        @ReversibleSaga
        public void settle(String order) throws Exception {
            steps.a(order);
            if (settlements.incrementAndGet() == 1) {
                throw new IllegalStateException("first settlement fails");
            }
        }
    }
}
