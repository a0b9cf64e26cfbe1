package dev.reversible.spring.aop;

import java.util.function.Supplier;

import dev.reversible.core.CompositeAction;
import dev.reversible.core.Reversible;
import dev.reversible.core.SagaExecutor;
import dev.reversible.core.SagaScope;
import dev.reversible.spring.metadata.SagaSpec;

import org.aopalliance.intercept.MethodInvocation;

/**
 * A {@link dev.reversible.spring.annotation.ReversibleSaga} method as a core composite. Each call builds
 * its own small composite around its invocation — the saga's name and rollback rule are prepared once —
 * so nothing is handed between layers through the thread. Called while a saga of the executor runs on
 * the thread (an annotated saga, a programmatic body, or a step's {@code forwards}), the call is a step of
 * that saga (core rules 8 and 14); otherwise it is an outermost saga.
 */
final class SagaOperation implements Operation {

    private final CompositeAction<Object> prepared;
    private final Supplier<SagaExecutor> executor;

    SagaOperation(SagaSpec spec, Supplier<SagaExecutor> executor) {
        this.prepared = Reversible.gen(scope -> null).named(spec.name()).rollbackOn(spec.rollbackRule());
        this.executor = executor;
    }

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        SagaExecutor sagas = executor.get();
        CompositeAction<Object> call = prepared.withBody(scope -> proceed(invocation));
        SagaScope running = sagas.currentScope();
        return running != null ? running.run(call) : sagas.execute(call);
    }

    /** The composite's body: the intercepted method itself; the steps it calls join the body's scope. */
    private static Object proceed(MethodInvocation invocation) throws Exception {
        try {
            return invocation.proceed();
        } catch (Throwable failure) {
            throw Sneaky.<Exception>rethrow(failure);
        }
    }
}
