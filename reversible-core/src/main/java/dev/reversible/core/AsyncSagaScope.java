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
     *
     * <p>Started while another step's {@code forwards} runs, it is that step's child (rule 14). Should the
     * parent fail while this step is still pending, nothing it does is lost, and its saga ends only after it
     * has ended (its report includes it). An asynchronous parent waits — without blocking a thread — until
     * its pending children have settled, then undoes them (latest first) before itself, so its failure
     * reaches its caller only after both. A synchronous parent cannot wait without blocking the very thread
     * that may have to complete its child's future, so its completed children and then the parent itself are
     * undone at once, and a child pending then is undone on its own as soon as it settles: if it succeeds,
     * it is compensated (its own children first) and its stage fails with a
     * {@link java.util.concurrent.CancellationException}, so that callbacks do not carry on with undone
     * work; if it fails, it undoes itself once (rule 6) and its failure is not the body's to handle. Should
     * such a late compensation fail, the body fails with a {@link CompensationFailedException} whose cause
     * is the parent's failure, even if it had handled that failure.
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
