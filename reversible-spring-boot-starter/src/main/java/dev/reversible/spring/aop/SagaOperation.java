package dev.reversible.spring.aop;

import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import dev.reversible.core.AsyncCompositeAction;
import dev.reversible.core.CompositeAction;
import dev.reversible.core.Reversible;
import dev.reversible.core.SagaExecutor;
import dev.reversible.core.SagaScope;
import dev.reversible.spring.metadata.SagaSpec;

import org.aopalliance.intercept.MethodInvocation;

/**
 * A {@link dev.reversible.spring.annotation.ReversibleSaga} method as a core composite. Each call builds
 * its own small composite around its invocation — the saga's name, rollback rule, deadline and compensation mode
 * are prepared once —
 * so nothing is handed between layers through the thread. Called while a saga of the executor runs on
 * the thread (an annotated saga, a programmatic body, or a step's {@code forwards}), the call is a step of
 * that saga (core rules 8 and 14); otherwise it is an outermost saga. A method returning a
 * {@code CompletionStage} is an asynchronous saga (core rule 12).
 */
final class SagaOperation implements Operation {

    private final CompositeAction<Object> prepared;
    private final AsyncCompositeAction<Object> preparedAsync;
    private final Supplier<SagaExecutor> executor;

    SagaOperation(SagaSpec spec, Supplier<SagaExecutor> executor, boolean asynchronous) {
        this.prepared = asynchronous ? null : Reversible.gen(scope -> null).named(spec.name()).rollbackOn(spec.rollbackRule())
                .timeout(spec.timeout()).compensation(spec.compensation());
        this.preparedAsync = asynchronous ? Reversible.<Object>genAsync(scope -> null).named(spec.name()).rollbackOn(spec.rollbackRule())
                .timeout(spec.timeout()).compensation(spec.compensation()) : null;
        this.executor = executor;
    }

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        SagaExecutor sagas = executor.get();
        SagaScope running = sagas.currentScope();
        if (preparedAsync != null) {
            // The method's own future is the body's stage; the caller gets the core's, which completes
            // only after every compensation has run.
            AsyncCompositeAction<Object> call = preparedAsync.withBody(scope -> stageOf(invocation));
            return running != null ? running.runAsync(call) : sagas.executeAsync(call);
        }
        CompositeAction<Object> call = prepared.withBody(scope -> proceed(invocation));
        return running != null ? running.run(call) : sagas.execute(call);
    }

    @SuppressWarnings("unchecked")
    private static CompletionStage<Object> stageOf(MethodInvocation invocation) throws Exception {
        return (CompletionStage<Object>) proceed(invocation);
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
