package dev.reversible.core;

import dev.reversible.core.engine.CoreAccess;
import dev.reversible.core.engine.SagaOptions;

/**
 * Gives the engine ({@code dev.reversible.core.engine}) what it needs of this package's objects beyond their public
 * methods — a composite's body and options, a {@link CompensationFailedException}'s bookkeeping — so that none of it
 * is public API. Every {@link SagaExecutor} hands this one instance to its engine.
 */
final class EngineAccess implements CoreAccess {

    static final EngineAccess INSTANCE = new EngineAccess();

    private EngineAccess() {
    }

    @Override
    public <T> SagaBody<? extends T> body(CompositeAction<T> composite) {
        return composite.body;
    }

    @Override
    public SagaOptions options(CompositeAction<?> composite) {
        return composite.options;
    }

    @Override
    public <T> AsyncSagaBody<? extends T> body(AsyncCompositeAction<T> composite) {
        return composite.body;
    }

    @Override
    public SagaOptions options(AsyncCompositeAction<?> composite) {
        return composite.options;
    }

    @Override
    public CompensationFailedException from(CompensationFailedException failure, Object saga) {
        return failure.from(saga);
    }

    @Override
    public boolean isFrom(CompensationFailedException failure, Object saga) {
        return failure.isFrom(saga);
    }

    @Override
    public void addFailure(CompensationFailedException failure, Throwable compensationFailure) {
        failure.addFailure(compensationFailure);
    }

    @Override
    public void addPending(CompensationFailedException failure, String stepName) {
        failure.addPending(stepName);
    }
}
