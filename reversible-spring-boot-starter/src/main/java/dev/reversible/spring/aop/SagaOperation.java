package dev.reversible.spring.aop;

import java.util.function.Supplier;

import dev.reversible.core.CompositeAction;
import dev.reversible.core.Reversible;
import dev.reversible.core.SagaExecutor;
import dev.reversible.core.SagaScope;
import dev.reversible.spring.metadata.SagaSpec;

import org.aopalliance.intercept.MethodInvocation;

/**
 * A {@link dev.reversible.spring.annotation.ReversibleSaga} method as a core composite. The composite is
 * built once; each call hands its invocation to the composite's body through {@link SagaThread}, so a
 * call allocates no composite of its own. The outermost call executes it; a nested call runs it as a
 * step of the enclosing saga (core rule 8).
 */
final class SagaOperation implements Operation {

    private final CompositeAction<Object> composite;
    private final Supplier<SagaExecutor> executor;

    SagaOperation(SagaSpec spec, Supplier<SagaExecutor> executor) {
        this.composite = Reversible.gen(SagaOperation::body).named(spec.name()).rollbackOn(spec.rollbackRule());
        this.executor = executor;
    }

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        SagaThread running = SagaThread.running();
        if (running != null) {
            running.handOff(invocation);
            return running.scope().run(composite);
        }
        return SagaThread.executeOutermost(executor.get(), composite, invocation);
    }

    /** The composite's body: the intercepted method itself, with this composite's scope as the one steps join. */
    private static Object body(SagaScope scope) throws Exception {
        return SagaThread.runBody(scope, (thread, invocation, current) -> invocation.proceed());
    }
}
