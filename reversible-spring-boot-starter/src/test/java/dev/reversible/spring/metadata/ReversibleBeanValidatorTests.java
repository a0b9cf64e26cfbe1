package dev.reversible.spring.metadata;

import java.io.IOException;

import dev.reversible.spring.CompensationContext;
import dev.reversible.spring.annotation.Compensate;
import dev.reversible.spring.annotation.ReversibleAction;
import dev.reversible.spring.annotation.ReversibleSaga;
import dev.reversible.spring.autoconfigure.ReversibleAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.aop.framework.AopInfrastructureBean;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ReversibleBeanValidator}: every misconfiguration stops a real application context at
 * start-up, with a {@link ReversibleConfigurationException} naming the bean, the method and the reason.
 */
class ReversibleBeanValidatorTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ReversibleAutoConfiguration.class));

    // ---- handlers ------------------------------------------------------------------------------

    @Test
    void runWithActionWithoutHandlerShouldFailNamingTheActionAndTheExpectedSignature() {
        assertStartupFails(NoHandler.class, "reserve(String, int)",
                "@ReversibleAction 'reserve' has no @Compensate(\"reserve\") handler on the same bean. "
                        + "Expected: @Compensate(\"reserve\") void anyName(String, int[, String result][, CompensationContext context])");
    }

    @Test
    void runWithVoidActionWithoutParametersAndHandlerShouldFailWithTheExpectedSignature() {
        assertStartupFails(NoHandlerForVoidAction.class, "ping()",
                "@ReversibleAction 'ping' has no @Compensate(\"ping\") handler on the same bean. "
                        + "Expected: @Compensate(\"ping\") void anyName([CompensationContext context])");
    }

    @Test
    void runWithNamedPrimitiveActionWithoutHandlerShouldFailWithTheBoxedResultInTheExpectedSignature() {
        assertStartupFails(NoHandlerForNamedAction.class, "charge(String)",
                "@ReversibleAction 'payment' has no @Compensate(\"payment\") handler on the same bean. "
                        + "Expected: @Compensate(\"payment\") void anyName(String[, Long result][, CompensationContext context])");
    }

    @Test
    void runWithTwoHandlersShouldFail() {
        assertStartupFails(TwoHandlers.class, "undo(String)",
                "@ReversibleAction 'reserve' has two @Compensate handlers: release(String) and undo(String); keep one");
    }

    @Test
    void runWithHandlerNamingUnknownActionShouldFail() {
        assertStartupFails(UnknownAction.class, "typo(String)",
                "@Compensate(\"reserv\") names no @ReversibleAction of this bean; its actions are [reserve]");
    }

    @Test
    void runWithStaticHandlerShouldFail() {
        assertStartupFails(StaticHandler.class, "release(String)", "a @Compensate handler must be an instance method");
    }

    @Test
    void runWithHandlerThatIsAlsoAnActionShouldFail() {
        assertStartupFails(HandlerIsAction.class, "release(String)",
                "a @Compensate handler cannot itself be a @ReversibleSaga or a @ReversibleAction");
    }

    // ---- handler parameters --------------------------------------------------------------------

    private static final String RESERVE_SIGNATURE = "Expected: @Compensate(\"reserve\") void anyName(String, int[, String result][, CompensationContext context])";

    @Test
    void runWithHandlerParameterOfWrongTypeShouldFail() {
        assertStartupFails(WrongParameterType.class, "release(Long, int)",
                "@Compensate(\"reserve\") parameter 1 (Long) cannot receive the action's parameter 1 (String). " + RESERVE_SIGNATURE);
    }

    @Test
    void runWithPrimitiveHandlerParameterForABoxedActionParameterShouldFail() {
        assertStartupFails(PrimitiveForBoxedParameter.class, "release(String, int)",
                "@Compensate(\"reserve\") parameter 2 (int) cannot receive the action's parameter 2 (Integer): it may be null; declare it as Integer. "
                        + "Expected: @Compensate(\"reserve\") void anyName(String, Integer[, String result][, CompensationContext context])");
    }

    @Test
    void runWithHandlerTakingTooFewParametersShouldFail() {
        assertStartupFails(TooFewParameters.class, "release(String)",
                "@Compensate(\"reserve\") takes 1 of the action's 2 parameters; it must take all of them, in order. " + RESERVE_SIGNATURE);
    }

    @Test
    void runWithHandlerTakingTooManyParametersShouldFail() {
        assertStartupFails(TooManyParameters.class, "release(String, int, String, String)",
                "@Compensate(\"reserve\") has more parameters than the action's parameters, its result and a CompensationContext. "
                        + RESERVE_SIGNATURE);
    }

    @Test
    void runWithPrimitiveResultParameterShouldFail() {
        assertStartupFails(PrimitiveResult.class, "refund(String, long)",
                "@Compensate(\"charge\") the result parameter must be a reference type (Long, not long): it is null when the action failed. "
                        + "Expected: @Compensate(\"charge\") void anyName(String[, Long result][, CompensationContext context])");
    }

    @Test
    void runWithResultParameterForVoidActionShouldFail() {
        assertStartupFails(ResultOfVoidAction.class, "restore(String, String)",
                "@Compensate(\"cancel\") parameter 2 (String) has nothing to receive: the action returns void. "
                        + "Expected: @Compensate(\"cancel\") void anyName(String[, CompensationContext context])");
    }

    @Test
    void runWithResultParameterNotAssignableFromTheResultShouldFail() {
        assertStartupFails(ResultNotAssignable.class, "release(String, int, Integer)",
                "@Compensate(\"reserve\") the result parameter (Integer) cannot receive the action's result (String). " + RESERVE_SIGNATURE);
    }

    @Test
    void runWithCompensationContextTwiceShouldFail() {
        assertStartupFails(ContextTwice.class, "release(CompensationContext, String, int, CompensationContext)",
                "@Compensate(\"reserve\") declares CompensationContext twice. " + RESERVE_SIGNATURE);
    }

    // ---- methods the proxy cannot intercept ----------------------------------------------------

    private static final String NOT_PROXYABLE = " method: Spring's proxy cannot intercept it, so the annotation would be silently ignored. "
            + "Make it public and non-final";

    @Test
    void runWithPrivateActionShouldFail() {
        assertStartupFails(PrivateAction.class, "reserve(String)", "@ReversibleAction on a private" + NOT_PROXYABLE);
    }

    @Test
    void runWithFinalActionShouldFail() {
        assertStartupFails(FinalAction.class, "reserve(String)", "@ReversibleAction on a final" + NOT_PROXYABLE);
    }

    @Test
    void runWithStaticActionShouldFail() {
        assertStartupFails(StaticAction.class, "reserve(String)", "@ReversibleAction on a static" + NOT_PROXYABLE);
    }

    @Test
    void runWithPrivateSagaShouldFail() {
        assertStartupFails(PrivateSaga.class, "order()", "@ReversibleSaga on a private" + NOT_PROXYABLE);
    }

    // ---- annotations that contradict each other ------------------------------------------------

    @Test
    void runWithSagaAndActionOnOneMethodShouldFail() {
        assertStartupFails(SagaAndAction.class, "reserve(String)",
                "is annotated with both @ReversibleSaga and @ReversibleAction; a method is either a saga boundary or a step");
    }

    @Test
    void runWithDuplicateActionNamesShouldFail() {
        assertStartupFails(DuplicateActionNames.class, "reserve(String)",
                "@ReversibleAction 'reserve' is declared twice on this bean (also on hold(String)); give one of them another name");
    }

    @Test
    void runWithClassInBothRollbackForAndNoRollbackForShouldFail() {
        assertStartupFails(ContradictoryRollbackRule.class, "order()",
                "@ReversibleSaga: java.io.IOException is in both rollbackFor and noRollbackFor");
    }

    // ---- the validator itself ------------------------------------------------------------------

    @Test
    void runShouldNameTheBeanAsTheApplicationDefinesIt() {
        this.contextRunner.withUserConfiguration(NamedBeanConfiguration.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(ReversibleConfigurationException.class)
                    .hasMessageStartingWith("Bean 'paymentService' (" + NoHandler.class.getName() + "), method reserve(String, int): ")
                    .satisfies(failure -> {
                        ReversibleConfigurationException exception = (ReversibleConfigurationException) failure;
                        assertThat(exception.getBeanName()).isEqualTo("paymentService");
                        assertThat(exception.getMethod()).isEqualTo(NoHandler.class.getMethod("reserve", String.class, int.class));
                        assertThat(exception.getReason()).startsWith("@ReversibleAction 'reserve' has no @Compensate(\"reserve\") handler");
                    });
        });
    }

    @Test
    void runWithValidBeanShouldStartAndRecordItsOperations() {
        this.contextRunner.withBean("inventory", Valid.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(AopUtils.isCglibProxy(context.getBean(Valid.class))).isTrue();
            ReversibleOperationSource source = context.getBean(ReversibleOperationSource.class);
            assertThat(source.actionNames()).containsExactly("reserve");
            assertThat(source.sagaNames()).containsExactly("Valid.order");
        });
    }

    @Test
    void postProcessBeforeInitializationShouldReturnTheBeanItself() {
        ReversibleBeanValidator validator = new ReversibleBeanValidator(new ReversibleOperationSource());
        Valid bean = new Valid();
        assertThat(validator.postProcessBeforeInitialization(bean, "inventory")).isSameAs(bean);
    }

    @Test
    void postProcessBeforeInitializationShouldSkipAopInfrastructureBeans() {
        ReversibleBeanValidator validator = new ReversibleBeanValidator(new ReversibleOperationSource());
        InfrastructureWithoutHandler bean = new InfrastructureWithoutHandler();
        assertThat(validator.postProcessBeforeInitialization(bean, "infrastructure")).isSameAs(bean);
    }

    @Test
    void postProcessBeforeInitializationShouldInspectTheUserClassOfAProxy() {
        ReversibleBeanValidator validator = new ReversibleBeanValidator(new ReversibleOperationSource());
        ProxyFactory factory = new ProxyFactory(new NoHandler());
        factory.setProxyTargetClass(true);
        Object proxy = factory.getProxy();
        assertThat(proxy.getClass()).isNotEqualTo(NoHandler.class);
        assertThatExceptionOfType(ReversibleConfigurationException.class)
                .isThrownBy(() -> validator.postProcessBeforeInitialization(proxy, "proxied"))
                .withMessageStartingWith("Bean 'proxied' (" + NoHandler.class.getName() + "), method reserve(String, int): ");
    }

    private void assertStartupFails(Class<?> beanClass, String method, String reason) {
        this.contextRunner.withBean("inventory", beanClass).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isExactlyInstanceOf(ReversibleConfigurationException.class)
                    .hasMessage("Bean 'inventory' (" + beanClass.getName() + "), method " + method + ": " + reason);
        });
    }

    // ---- fixtures ------------------------------------------------------------------------------

    static class NoHandler {

        @ReversibleAction
        public String reserve(String sku, int quantity) {
            return sku;
        }
    }

    static class NoHandlerForVoidAction {

        @ReversibleAction
        public void ping() {
        }
    }

    static class NoHandlerForNamedAction {

        @ReversibleAction("payment")
        public long charge(String customer) {
            return 1;
        }
    }

    static class TwoHandlers {

        @ReversibleAction
        public String reserve(String sku) {
            return sku;
        }

        @Compensate("reserve")
        public void undo(String sku) {
        }

        @Compensate("reserve")
        public void release(String sku) {
        }
    }

    static class UnknownAction {

        @ReversibleAction
        public String reserve(String sku) {
            return sku;
        }

        @Compensate("reserve")
        public void release(String sku) {
        }

        @Compensate("reserv")
        public void typo(String sku) {
        }
    }

    static class StaticHandler {

        @ReversibleAction
        public String reserve(String sku) {
            return sku;
        }

        @Compensate("reserve")
        public static void release(String sku) {
        }
    }

    static class HandlerIsAction {

        @ReversibleAction
        public String reserve(String sku) {
            return sku;
        }

        @ReversibleAction
        @Compensate("reserve")
        public void release(String sku) {
        }
    }

    static class WrongParameterType {

        @ReversibleAction
        public String reserve(String sku, int quantity) {
            return sku;
        }

        @Compensate("reserve")
        public void release(Long sku, int quantity) {
        }
    }

    static class PrimitiveForBoxedParameter {

        @ReversibleAction
        public String reserve(String sku, Integer quantity) {
            return sku;
        }

        @Compensate("reserve")
        public void release(String sku, int quantity) {
        }
    }

    static class TooFewParameters {

        @ReversibleAction
        public String reserve(String sku, int quantity) {
            return sku;
        }

        @Compensate("reserve")
        public void release(String sku) {
        }
    }

    static class TooManyParameters {

        @ReversibleAction
        public String reserve(String sku, int quantity) {
            return sku;
        }

        @Compensate("reserve")
        public void release(String sku, int quantity, String reservation, String extra) {
        }
    }

    static class PrimitiveResult {

        @ReversibleAction
        public long charge(String customer) {
            return 1;
        }

        @Compensate("charge")
        public void refund(String customer, long paymentId) {
        }
    }

    static class ResultOfVoidAction {

        @ReversibleAction
        public void cancel(String order) {
        }

        @Compensate("cancel")
        public void restore(String order, String result) {
        }
    }

    static class ResultNotAssignable {

        @ReversibleAction
        public String reserve(String sku, int quantity) {
            return sku;
        }

        @Compensate("reserve")
        public void release(String sku, int quantity, Integer reservation) {
        }
    }

    static class ContextTwice {

        @ReversibleAction
        public String reserve(String sku, int quantity) {
            return sku;
        }

        @Compensate("reserve")
        public void release(CompensationContext first, String sku, int quantity, CompensationContext second) {
        }
    }

    static class PrivateAction {

        @ReversibleAction
        private String reserve(String sku) {
            return sku;
        }

        @Compensate("reserve")
        public void release(String sku) {
        }
    }

    static class FinalAction {

        @ReversibleAction
        public final String reserve(String sku) {
            return sku;
        }

        @Compensate("reserve")
        public void release(String sku) {
        }
    }

    static class StaticAction {

        @ReversibleAction
        public static String reserve(String sku) {
            return sku;
        }

        @Compensate("reserve")
        public void release(String sku) {
        }
    }

    static class PrivateSaga {

        @ReversibleSaga
        private void order() {
        }
    }

    static class SagaAndAction {

        @ReversibleSaga
        @ReversibleAction
        public String reserve(String sku) {
            return sku;
        }

        @Compensate("reserve")
        public void release(String sku) {
        }
    }

    static class DuplicateActionNames {

        @ReversibleAction
        public String reserve(String sku) {
            return sku;
        }

        @ReversibleAction("reserve")
        public String hold(String sku) {
            return sku;
        }

        @Compensate("reserve")
        public void release(String sku) {
        }
    }

    static class ContradictoryRollbackRule {

        @ReversibleSaga(rollbackFor = IOException.class, noRollbackFor = IOException.class)
        public void order() {
        }
    }

    static class Valid {

        @ReversibleSaga
        public void order() {
        }

        @ReversibleAction
        public String reserve(String sku) {
            return sku;
        }

        @Compensate("reserve")
        public void release(String sku) {
        }
    }

    static class InfrastructureWithoutHandler implements AopInfrastructureBean {

        @ReversibleAction
        public String reserve(String sku) {
            return sku;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class NamedBeanConfiguration {

        @Bean
        NoHandler paymentService() {
            return new NoHandler();
        }
    }
}
