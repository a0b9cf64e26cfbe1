package dev.reversible.core;

import dev.reversible.core.engine.SagaOptions;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;

/**
 * The asynchronous composite a {@link Reversible#genAsync(AsyncSagaBody) genAsync} body becomes. When
 * the body's stage fails, every step that completed is undone, one compensation after another, in
 * reverse order of the steps' start; the composite's stage completes only after that.
 *
 * <pre>{@code
 * String id = Reversible.executeAsync(Reversible.genAsync(saga ->
 *         saga.run(saveComment).thenCompose(i -> saga.run(updateCount).thenApply(n -> i)))
 *     .named("postComment")).join();
 * }</pre>
 *
 * @param <T> the body's result type
 */
public final class AsyncCompositeAction<T> implements AsyncAction<T> {

    final String name;
    final AsyncSagaBody<? extends T> body;
    /** The rollback rule, deadline and compensation mode: read by the engine through {@link EngineAccess}. */
    final SagaOptions options;

    AsyncCompositeAction(String name, AsyncSagaBody<? extends T> body, SagaOptions options) {
        this.options = options;
        this.name = Objects.requireNonNull(name, "name must not be null");
        this.body = Objects.requireNonNull(body, "body must not be null");
    }

    static <T> AsyncCompositeAction<T> of(AsyncSagaBody<? extends T> body) {
        return new AsyncCompositeAction<>("saga", body, SagaOptions.DEFAULT);
    }

    /**
     * @param name the saga name for events and metrics
     * @return the same composite under that name
     */
    public AsyncCompositeAction<T> named(String name) {
        return new AsyncCompositeAction<>(name, body, options);
    }

    /**
     * @param rollbackOn true for a failure that rolls back the completed steps
     * @return the same composite with that rule (see {@link CompositeAction#rollbackOn(Predicate)})
     */
    public AsyncCompositeAction<T> rollbackOn(Predicate<? super Throwable> rollbackOn) {
        return new AsyncCompositeAction<>(name, body, options.withRollbackOn(rollbackOn));
    }

    /**
     * The same name, rollback rule and options around another body: a framework builds those settings once and
     * allocates one composite per call.
     * @param body the body
     * @param <R> its result type
     * @return a composite with this one's name and rule
     */
    public <R> AsyncCompositeAction<R> withBody(AsyncSagaBody<? extends R> body) {
        return new AsyncCompositeAction<>(name, body, options);
    }

    /**
     * The same composite with a deadline, when it runs as a saga: past {@code timeout} from the saga's start no
     * further step may start — the attempt fails with {@link SagaTimeoutException}, so the saga rolls back — and
     * an asynchronous step still pending then fails with {@link StepTimeoutException}. A nested composite's
     * timeout is not consulted: it runs under its saga's deadline.
     * @param timeout positive, or {@code null} for none (the default)
     * @return a composite with that deadline
     */
    public AsyncCompositeAction<T> timeout(java.time.Duration timeout) {
        return new AsyncCompositeAction<>(name, body, options.withTimeout(timeout));
    }

    /**
     * The same composite with another compensation mode, when it runs as a saga (rule 15 for
     * {@link CompensationMode#PARALLEL}); a nested composite runs under its saga's mode.
     * @param compensation the mode; default {@link CompensationMode#SEQUENTIAL}
     * @return a composite with that mode
     */
    public AsyncCompositeAction<T> compensation(CompensationMode compensation) {
        return new AsyncCompositeAction<>(name, body, options.withCompensation(compensation));
    }

    /** Runs the composite as a saga of its own under {@link Reversible}'s default executor. */
    @Override
    public CompletionStage<T> forwards() {
        return Reversible.defaultExecutor().executeAsync(this);
    }

    /**
     * A composite undoes its own steps when it fails, and as a step of another composite it is undone
     * by that composite's rollback; called directly, there is nothing left to undo.
     */
    @Override
    public CompletionStage<?> backwards() {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return "AsyncCompositeAction[" + name + "]";
    }
}
