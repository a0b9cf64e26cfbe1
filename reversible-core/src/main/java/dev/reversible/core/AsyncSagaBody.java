package dev.reversible.core;

import java.util.concurrent.CompletionStage;

/**
 * The body of a {@link Reversible#genAsync(AsyncSagaBody) genAsync} composite: chains steps through the
 * scope and returns a stage with the composite's result.
 *
 * <pre>{@code
 * AsyncSagaBody<String> body = saga -> saga.run(saveComment)
 *         .thenCompose(id -> saga.run(updateCount).thenApply(n -> id));
 * }</pre>
 *
 * @param <T> the composite's result type
 */
@FunctionalInterface
public interface AsyncSagaBody<T> {

    /**
     * @param saga runs the steps
     * @return a stage completing with the result; exceptionally to roll back
     * @throws Exception a failure thrown before any stage was returned; it rolls back as well
     */
    CompletionStage<T> run(AsyncSagaScope saga) throws Exception;
}
