package dev.reversible.core;

import java.util.concurrent.CompletionStage;

/**
 * What the body of a {@link Reversible#genAsync(AsyncSagaBody) genAsync} composite receives.
 *
 * <pre>{@code
 * AsyncCompositeAction<Integer> postComment = Reversible.genAsync(saga ->
 *     saga.run(saveComment(comment))
 *         .exceptionallyCompose(e -> saga.run(queueSaveRequest(comment)))   // saveComment was undone already
 *         .thenCompose(id -> saga.lift(http.get("/count")))                   // not reversible: never compensated
 * );
 * }</pre>
 */
public interface AsyncSagaScope {

    /**
     * Starts an asynchronous step and remembers it for rollback. A step that fails is undone itself
     * before the returned stage completes exceptionally.
     * @param step the step
     * @param <T> the result type
     * @return a stage with the step's result, or its failure (the same exception instance)
     */
    <T> CompletionStage<T> run(AsyncAction<T> step);

    /**
     * Runs a synchronous step now, on the calling thread, and remembers it for rollback.
     * @param step the step; a {@link CompositeAction} runs its steps in this saga
     * @param <T> the result type
     * @return an already completed stage with the step's result or failure
     */
    <T> CompletionStage<T> run(Action<T> step);

    /**
     * Awaits a future that is not reversible: it is never compensated.
     * @param future the future
     * @param <T> its result type
     * @return a stage completing as the future does
     */
    <T> CompletionStage<T> lift(CompletionStage<T> future);

    /** @return the running saga's name and id (the outermost saga when nested) */
    SagaInfo saga();
}
