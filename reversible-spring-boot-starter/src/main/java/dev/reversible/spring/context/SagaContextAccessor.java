package dev.reversible.spring.context;

import dev.reversible.core.SagaContext;
import dev.reversible.core.SagaScope;
import dev.reversible.spring.observation.SagaMdcListener;
import io.micrometer.context.ThreadLocalAccessor;
import org.slf4j.MDC;

/**
 * Carries the saga running on a thread — its scope and its logging context ({@code sagaId}, {@code sagaName}
 * in the MDC) — to the threads its tasks run on, through Micrometer's
 * context-propagation: with Spring's {@code ContextPropagatingTaskDecorator} on a task executor (or
 * {@code ContextSnapshot.wrap}), an action started by a task submitted inside a saga joins that saga.
 * Registered through {@code META-INF/services}, so {@code ContextRegistry.getInstance()} — and every
 * {@code ContextSnapshotFactory} built on it — sees it without any set-up.
 *
 * <pre>{@code
 * @Bean
 * ThreadPoolTaskExecutor applicationTaskExecutor() {
 *     ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
 *     executor.setTaskDecorator(new ContextPropagatingTaskDecorator());   // sagas travel with tasks
 *     return executor;
 * }
 * }</pre>
 */
public final class SagaContextAccessor implements ThreadLocalAccessor<SagaScope> {

    /** The key the saga's scope is captured under. */
    public static final String KEY = "dev.reversible.saga";

    @Override
    public Object key() {
        return KEY;
    }

    @Override
    public SagaScope getValue() {
        return SagaContext.current();
    }

    @Override
    public void setValue(SagaScope value) {
        SagaContext.bind(value);
        // The saga's logging context travels with it: a line logged by the task names its saga.
        if (value == null) {
            clearLoggingContext();
        } else {
            MDC.put(SagaMdcListener.SAGA_ID, value.saga().id());
            MDC.put(SagaMdcListener.SAGA_NAME, value.saga().name());
        }
    }

    @Override
    public void setValue() {
        SagaContext.bind(null);
        clearLoggingContext();
    }

    private static void clearLoggingContext() {
        MDC.remove(SagaMdcListener.SAGA_ID);
        MDC.remove(SagaMdcListener.SAGA_NAME);
    }
}
