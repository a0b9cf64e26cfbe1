package dev.reversible.core;

/**
 * What the body of a {@link Reversible#gen(SagaBody) gen} composite receives: the way to run a step
 * so that it is undone if the saga fails later.
 *
 * <pre>{@code
 * Action<String> submitOrder = Reversible.gen(saga -> {
 *     String orderId = saga.run(createOrder(cart));
 *     try {
 *         saga.run(charge(orderId));
 *     } catch (InsufficientFundsException e) {   // charge was already undone; nothing else is
 *         mail.insufficientFunds(orderId);
 *     }
 *     return orderId;
 * });
 * }</pre>
 */
public interface SagaScope {

    /**
     * Runs a step now and remembers it for rollback. A step that fails is undone itself before its
     * exception reaches this call; the body may catch it and carry on.
     * @param step the step; a composite runs its own steps in this saga
     * @param <T> the step's result type
     * @return what the step's {@code forwards} returned
     * @throws Exception the step's own exception, the same instance, after the step was undone
     */
    <T> T run(Action<T> step) throws Exception;

    /**
     * Starts an asynchronous step and remembers it for rollback: it takes its place now (rule 14), and the
     * composite this scope belongs to ends only after it has ended — a synchronous body that did not wait
     * for it waits for it before completing or rolling back, and a step that fails after the body returned
     * rolls the composite back. A step that fails is undone itself before the returned stage fails.
     * Callbacks chained on the returned stage run with this saga's scope bound to their thread.
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
     * @param <T> its result type
     * @return a stage with the step's result, or its failure (the same exception instance)
     */
    <T> java.util.concurrent.CompletionStage<T> runAsync(AsyncAction<T> step);

    /**
     * The saga this scope belongs to (the outermost one when composites are nested).
     * @return the running saga's name and id
     */
    SagaInfo saga();
}
