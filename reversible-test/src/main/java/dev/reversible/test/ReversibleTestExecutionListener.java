package dev.reversible.test;

import org.springframework.context.ApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.support.AbstractTestExecutionListener;

/**
 * Resets the kit's {@link SagaRecorder} and {@link FailureInjector} around each test method, as Spring
 * Boot resets its mocks: the recorder and the injections before each test (sagas run while the context
 * started, or by an earlier test sharing the cached context, are forgotten), the injections again after
 * it (so that none leaks into another test class's set-up). Registered in {@code META-INF/spring.factories};
 * it does nothing for a context without the kit, and never loads a context.
 *
 * <pre>{@code
 * @Test void first()  { injector.failAction("chargeAccount", new X()); ... }
 * @Test void second() { ... }   // chargeAccount runs again, and recorder.sagas() starts empty
 * }</pre>
 */
public class ReversibleTestExecutionListener extends AbstractTestExecutionListener {

    /** Just before Boot's mock-resetting listener, which is at {@code LOWEST_PRECEDENCE - 100}. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE - 110;
    }

    @Override
    public void beforeTestMethod(TestContext testContext) {
        if (testContext.hasApplicationContext()) {
            ApplicationContext context = testContext.getApplicationContext();
            context.getBeanProvider(SagaRecorder.class).forEach(SagaRecorder::reset);
            context.getBeanProvider(FailureInjector.class).forEach(FailureInjector::reset);
        }
    }

    @Override
    public void afterTestMethod(TestContext testContext) {
        if (testContext.hasApplicationContext()) {
            testContext.getApplicationContext().getBeanProvider(FailureInjector.class).forEach(FailureInjector::reset);
        }
    }
}
