package dev.reversible.spring.metadata;

import java.io.IOException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.reversible.spring.CompensationContext;
import dev.reversible.spring.annotation.Compensate;
import dev.reversible.spring.annotation.ReversibleAction;
import dev.reversible.spring.annotation.ReversibleSaga;
import dev.reversible.spring.autoconfigure.ReversibleAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ReversibleOperationSource}: names, which methods a class-level saga covers, every way a
 * handler's parameters bind, and that the metadata is parsed once and cached.
 */
class ReversibleOperationSourceTests {

    private final ReversibleOperationSource source = new ReversibleOperationSource();

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ReversibleAutoConfiguration.class));

    // ---- names ---------------------------------------------------------------------------------

    @Test
    void sagaNameDefaultsToSimpleClassNameAndMethodName() throws Exception {
        assertThat(sagaSpec(Shop.class, "order").name()).isEqualTo("Shop.order");
    }

    @Test
    void sagaNameOfACglibProxyIsTheUserClasses() throws Exception {
        ProxyFactory factory = new ProxyFactory(new Shop());
        factory.setProxyTargetClass(true);
        Class<?> proxyClass = factory.getProxy().getClass();
        assertThat(AopUtils.isCglibProxy(factory.getProxy())).isTrue();
        // Both the user's method and the proxy's overriding method resolve to the user class's spec.
        assertThat(source.find(Shop.class.getMethod("order"), proxyClass).name()).isEqualTo("Shop.order");
        assertThat(source.find(proxyClass.getMethod("order"), proxyClass).name()).isEqualTo("Shop.order");
    }

    @Test
    void sagaNameOfAProxiedBeanInAContextIsTheUserClasses() {
        this.contextRunner.withBean(Shop.class).run(context -> {
            Shop shop = context.getBean(Shop.class);
            assertThat(AopUtils.isCglibProxy(shop)).isTrue();
            assertThat(shop.getClass().getName()).contains("$$SpringCGLIB$$");
            ReversibleOperationSource contextSource = context.getBean(ReversibleOperationSource.class);
            assertThat(contextSource.find(Shop.class.getMethod("order"), shop.getClass()).name()).isEqualTo("Shop.order");
            assertThat(contextSource.sagaNames()).containsExactly("Shop.order", "checkout");
        });
    }

    @Test
    void sagaNameIsTheAnnotationsNameWhenGiven() throws Exception {
        assertThat(sagaSpec(Shop.class, "pay").name()).isEqualTo("checkout");
    }

    @Test
    void actionNameDefaultsToMethodName() throws Exception {
        assertThat(actionSpec(Bindings.class, "reserve", String.class, int.class).name()).isEqualTo("reserve");
    }

    @Test
    void actionNameIsTheAnnotationsValueWhenGiven() throws Exception {
        ActionSpec spec = actionSpec(NamedAction.class, "charge", String.class);
        assertThat(spec.name()).isEqualTo("payment");
        assertThat(spec.beanClass()).isEqualTo(NamedAction.class);
        assertThat(spec.method()).isEqualTo(NamedAction.class.getMethod("charge", String.class));
        assertThat(spec.handler().method()).isEqualTo(NamedAction.class.getMethod("refund", String.class));
        assertThat(spec.describe()).isEqualTo("NamedAction.charge");
    }

    // ---- class-level sagas ---------------------------------------------------------------------

    @Test
    void classLevelSagaCoversPublicMethodsOnly() throws Exception {
        assertThat(sagaSpec(ClassLevelSaga.class, "place").name()).isEqualTo("ClassLevelSaga.place");
        assertThat(source.find(ClassLevelSaga.class.getDeclaredMethod("protectedHelper"), ClassLevelSaga.class)).isNull();
        assertThat(source.find(ClassLevelSaga.class.getDeclaredMethod("packageHelper"), ClassLevelSaga.class)).isNull();
        assertThat(source.find(ClassLevelSaga.class.getDeclaredMethod("privateHelper"), ClassLevelSaga.class)).isNull();
        assertThat(source.find(ClassLevelSaga.class.getMethod("finalHelper"), ClassLevelSaga.class)).isNull();
        assertThat(source.find(ClassLevelSaga.class.getMethod("staticHelper"), ClassLevelSaga.class)).isNull();
        assertThat(source.find(ClassLevelSaga.class.getMethod("release", String.class), ClassLevelSaga.class)).isNull();
        assertThat(source.find(ClassLevelSaga.class.getMethod("reserve", String.class), ClassLevelSaga.class))
                .isInstanceOf(ActionSpec.class);
        assertThat(source.sagaNames()).containsExactly("ClassLevelSaga.place");
    }

    @Test
    void classLevelSagaWithNamePrefixesTheMethodName() throws Exception {
        assertThat(sagaSpec(NamedClassLevelSaga.class, "place").name()).isEqualTo("orders.place");
        assertThat(sagaSpec(NamedClassLevelSaga.class, "cancel").name()).isEqualTo("orders.cancel");
    }

    @Test
    void methodLevelSagaOverridesTheClassLevelOne() throws Exception {
        assertThat(sagaSpec(NamedClassLevelSaga.class, "refund").name()).isEqualTo("refunds");
    }

    @Test
    void interfaceMethodResolvesToTheImplementationsSpec() throws Exception {
        assertThat(source.find(Ordering.class.getMethod("order"), OrderingImpl.class)).isInstanceOf(SagaSpec.class)
                .extracting(OperationSpec::name).isEqualTo("OrderingImpl.order");
    }

    // ---- rollback rule -------------------------------------------------------------------------

    @Test
    void sagaWithoutNoRollbackForRollsBackOnEverything() throws Exception {
        assertThat(sagaSpec(Shop.class, "order").rollbackRule()).isSameAs(RollbackRule.ALWAYS);
    }

    @Test
    void sagaRollbackRuleComesFromTheAnnotation() throws Exception {
        RollbackRule rule = sagaSpec(Shop.class, "pay").rollbackRule();
        assertThat(rule.test(new IOException())).isFalse();
        assertThat(rule.test(new IllegalStateException())).isTrue();
    }

    // ---- handler binding -----------------------------------------------------------------------

    @Test
    void handlerWithTheActionsParametersOnlyBinds() throws Exception {
        assertThat(invokeHandler(Bindings.class, "reserve", "release")).containsExactly("sku-1", 3);
    }

    @Test
    void handlerWithContextFirstBinds() throws Exception {
        assertThat(invokeHandler(ContextFirst.class, "reserve", "release")).containsExactly(CONTEXT, "sku-1", 3);
    }

    @Test
    void handlerWithContextInTheMiddleBinds() throws Exception {
        assertThat(invokeHandler(ContextMiddle.class, "reserve", "release")).containsExactly("sku-1", CONTEXT, 3);
    }

    @Test
    void handlerWithContextLastBinds() throws Exception {
        assertThat(invokeHandler(ContextLast.class, "reserve", "release")).containsExactly("sku-1", 3, "reservation-1", CONTEXT);
    }

    @Test
    void handlerWithContextBeforeTheResultBinds() throws Exception {
        assertThat(invokeHandler(ContextBeforeResult.class, "reserve", "release")).containsExactly("sku-1", 3, CONTEXT, "reservation-1");
    }

    @Test
    void handlerWithResultBindsIt() throws Exception {
        assertThat(invokeHandler(WithResult.class, "reserve", "release")).containsExactly("sku-1", 3, "reservation-1");
    }

    @Test
    void handlerReceivesNullResultWhenTheActionFailed() throws Exception {
        ActionSpec spec = actionSpec(WithResult.class, "reserve", String.class, int.class);
        WithResult bean = new WithResult();
        spec.handler().invoke(bean, new Object[] { "sku-1", 3 }, null, CONTEXT);
        assertThat(bean.received).containsExactly("sku-1", 3, null);
    }

    @Test
    void handlerResultIsBoxedForAPrimitiveReturn() throws Exception {
        ActionSpec spec = actionSpec(BoxedResult.class, "charge", String.class);
        BoxedResult bean = new BoxedResult();
        spec.handler().invoke(bean, new Object[] { "alice" }, 42L, CONTEXT);
        assertThat(bean.received).containsExactly("alice", 42L);
    }

    @Test
    void handlerMayDeclareSupertypesOfTheParametersAndTheResult() throws Exception {
        ActionSpec spec = actionSpec(Supertypes.class, "reserve", String.class, int.class);
        assertThat(spec.handler().method().getParameterTypes()).containsExactly(CharSequence.class, Number.class, Object.class);
        Supertypes bean = new Supertypes();
        spec.handler().invoke(bean, new Object[] { "sku-1", 3 }, "reservation-1", CONTEXT);
        assertThat(bean.received).containsExactly("sku-1", 3, "reservation-1");
    }

    @Test
    void handlerOfAnActionWithoutParametersMayTakeOnlyTheContext() throws Exception {
        ActionSpec spec = actionSpec(NoParameters.class, "ping");
        NoParameters bean = new NoParameters();
        spec.handler().invoke(bean, new Object[0], null, CONTEXT);
        assertThat(bean.received).containsExactly(CONTEXT);
    }

    @Test
    void privateHandlerBinds() throws Exception {
        ActionSpec spec = actionSpec(PrivateHandler.class, "reserve", String.class);
        PrivateHandler bean = new PrivateHandler();
        spec.handler().invoke(bean, new Object[] { "sku-1" }, "sku-1", CONTEXT);
        assertThat(bean.received).containsExactly("sku-1");
    }

    /** Each variant in a context of its own: they share action names, which one application refuses. */
    @ParameterizedTest
    @ValueSource(classes = { ContextFirst.class, ContextMiddle.class, ContextLast.class, ContextBeforeResult.class, WithResult.class,
        BoxedResult.class, Supertypes.class, NoParameters.class, PrivateHandler.class })
    void everyBindingVariantStartsAContext(Class<?> variant) {
        this.contextRunner.withBean(variant).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(ReversibleOperationSource.class).actionNames()).hasSize(1)
                    .containsAnyOf("charge", "ping", "reserve");
        });
    }

    @Test
    void twoBeansOfDifferentClassesWithOneActionNameStopStartUpNamingBoth() {
        this.contextRunner.withBean(ContextFirst.class).withBean(ContextMiddle.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(ReversibleConfigurationException.class)
                    .hasMessageContaining("the action name 'reserve'").hasMessageContaining("ContextFirst.reserve")
                    .hasMessageContaining("ContextMiddle.reserve");
        });
    }

    // ---- caching -------------------------------------------------------------------------------

    @Test
    void findReturnsTheSameSpecInstanceEveryTime() throws Exception {
        Method order = Shop.class.getMethod("order");
        OperationSpec first = source.find(order, Shop.class);
        assertThat(first).isNotNull();
        assertThat(source.find(order, Shop.class)).isSameAs(first);
        ProxyFactory factory = new ProxyFactory(new Shop());
        factory.setProxyTargetClass(true);
        assertThat(source.find(order, factory.getProxy().getClass())).isSameAs(first);
    }

    @Test
    void validateParsesOnceForFind() throws Exception {
        source.validate(Bindings.class, "bindings");
        Method reserve = Bindings.class.getMethod("reserve", String.class, int.class);
        OperationSpec spec = source.find(reserve, Bindings.class);
        source.validate(Bindings.class, "bindings");
        assertThat(source.find(reserve, Bindings.class)).isSameAs(spec);
        assertThat(((ActionSpec) spec).handler()).isSameAs(((ActionSpec) source.find(reserve, Bindings.class)).handler());
    }

    @Test
    void classWithoutOperationsHasNone() throws Exception {
        assertThat(source.hasOperations(Plain.class)).isFalse();
        assertThat(source.find(Plain.class.getMethod("work"), Plain.class)).isNull();
        assertThat(source.hasOperations(String.class)).isFalse();
        assertThat(source.hasOperations(Ordering.class)).isFalse();
        assertThat(source.sagaNames()).isEmpty();
        assertThat(source.actionNames()).isEmpty();
    }

    @Test
    void namesAreSortedAcrossClasses() {
        source.validate(Shop.class, "shop");
        source.validate(ClassLevelSaga.class, "classLevelSaga");
        source.validate(NamedAction.class, "namedAction");
        assertThat(source.sagaNames()).containsExactly("ClassLevelSaga.place", "Shop.order", "checkout");
        assertThat(source.actionNames()).containsExactly("payment", "reserve");
    }

    @Test
    void findOnAMisconfiguredClassFailsWithoutABeanName() throws Exception {
        assertThatExceptionOfType(ReversibleConfigurationException.class)
                .isThrownBy(() -> source.find(ReversibleBeanValidatorTests.NoHandler.class.getMethod("reserve", String.class, int.class),
                        ReversibleBeanValidatorTests.NoHandler.class))
                .withMessageStartingWith("Bean " + ReversibleBeanValidatorTests.NoHandler.class.getName() + ", method reserve(String, int): ")
                .satisfies(e -> assertThat(e.getBeanName()).isNull());
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static final CompensationContext CONTEXT = new CompensationContext() {

        @Override
        public String sagaId() {
            return "id-1";
        }

        @Override
        public String sagaName() {
            return "Shop.order";
        }

        @Override
        public String stepName() {
            return "reserve";
        }

        @Override
        public int stepIndex() {
            return 0;
        }

        @Override
        public Object result() {
            return null;
        }

        @Override
        public Throwable failure() {
            return null;
        }

        @Override
        public int attempt() {
            return 1;
        }

        @Override
        public String toString() {
            return "CONTEXT";
        }
    };

    private SagaSpec sagaSpec(Class<?> type, String method) throws Exception {
        OperationSpec spec = source.find(type.getMethod(method), type);
        assertThat(spec).isInstanceOf(SagaSpec.class);
        return (SagaSpec) spec;
    }

    private ActionSpec actionSpec(Class<?> type, String method, Class<?>... parameterTypes) throws Exception {
        OperationSpec spec = source.find(type.getMethod(method, parameterTypes), type);
        assertThat(spec).isInstanceOf(ActionSpec.class);
        return (ActionSpec) spec;
    }

    /** Binds {@code reserve(String, int)} returning a String, calls its handler and returns what the handler received. */
    private List<Object> invokeHandler(Class<? extends Recording> type, String action, String handler) throws Exception {
        ActionSpec spec = actionSpec(type, action, String.class, int.class);
        assertThat(spec.handler().method().getName()).isEqualTo(handler);
        Recording bean = type.getDeclaredConstructor().newInstance();
        spec.handler().invoke(bean, new Object[] { "sku-1", 3 }, "reservation-1", CONTEXT);
        return bean.received;
    }

    // ---- fixtures ------------------------------------------------------------------------------

    abstract static class Recording {

        final List<Object> received = new ArrayList<>();

        void record(Object... values) {
            received.addAll(Arrays.asList(values));
        }
    }

    static class Shop {

        @ReversibleSaga
        public void order() {
        }

        @ReversibleSaga(name = "checkout", noRollbackFor = IOException.class)
        public void pay() {
        }
    }

    static class Bindings extends Recording {

        @ReversibleAction
        public String reserve(String sku, int quantity) {
            return "reservation-1";
        }

        @Compensate("reserve")
        public void release(String sku, int quantity) {
            record(sku, quantity);
        }
    }

    static class ContextFirst extends Recording {

        @ReversibleAction
        public String reserve(String sku, int quantity) {
            return "reservation-1";
        }

        @Compensate("reserve")
        public void release(CompensationContext context, String sku, int quantity) {
            record(context, sku, quantity);
        }
    }

    static class ContextMiddle extends Recording {

        @ReversibleAction
        public String reserve(String sku, int quantity) {
            return "reservation-1";
        }

        @Compensate("reserve")
        public void release(String sku, CompensationContext context, int quantity) {
            record(sku, context, quantity);
        }
    }

    static class ContextLast extends Recording {

        @ReversibleAction
        public String reserve(String sku, int quantity) {
            return "reservation-1";
        }

        @Compensate("reserve")
        public void release(String sku, int quantity, String reservation, CompensationContext context) {
            record(sku, quantity, reservation, context);
        }
    }

    static class ContextBeforeResult extends Recording {

        @ReversibleAction
        public String reserve(String sku, int quantity) {
            return "reservation-1";
        }

        @Compensate("reserve")
        public void release(String sku, int quantity, CompensationContext context, String reservation) {
            record(sku, quantity, context, reservation);
        }
    }

    static class WithResult extends Recording {

        @ReversibleAction
        public String reserve(String sku, int quantity) {
            return "reservation-1";
        }

        @Compensate("reserve")
        public void release(String sku, int quantity, String reservation) {
            record(sku, quantity, reservation);
        }
    }

    static class BoxedResult extends Recording {

        @ReversibleAction
        public long charge(String customer) {
            return 42;
        }

        @Compensate("charge")
        public void refund(String customer, Long paymentId) {
            record(customer, paymentId);
        }
    }

    static class Supertypes extends Recording {

        @ReversibleAction
        public String reserve(String sku, int quantity) {
            return "reservation-1";
        }

        @Compensate("reserve")
        public void release(CharSequence sku, Number quantity, Object reservation) {
            record(sku, quantity, reservation);
        }
    }

    static class NoParameters extends Recording {

        @ReversibleAction
        public void ping() {
        }

        @Compensate("ping")
        public void unping(CompensationContext context) {
            record(context);
        }
    }

    static class PrivateHandler extends Recording {

        @ReversibleAction
        public String reserve(String sku) {
            return sku;
        }

        @Compensate("reserve")
        private void release(String sku) {
            record(sku);
        }
    }

    static class NamedAction {

        @ReversibleAction("payment")
        public long charge(String customer) {
            return 1;
        }

        @Compensate("payment")
        public void refund(String customer) {
        }
    }

    @ReversibleSaga
    static class ClassLevelSaga {

        public void place() {
        }

        protected void protectedHelper() {
        }

        void packageHelper() {
        }

        private void privateHelper() {
        }

        public final void finalHelper() {
        }

        public static void staticHelper() {
        }

        @ReversibleAction
        public String reserve(String sku) {
            return sku;
        }

        @Compensate("reserve")
        public void release(String sku) {
        }
    }

    @ReversibleSaga("orders")
    static class NamedClassLevelSaga {

        public void place() {
        }

        public void cancel() {
        }

        @ReversibleSaga("refunds")
        public void refund() {
        }
    }

    interface Ordering {

        void order();
    }

    static class OrderingImpl implements Ordering {

        @Override
        @ReversibleSaga
        public void order() {
        }
    }

    static class Plain {

        public void work() {
        }
    }
}
