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
