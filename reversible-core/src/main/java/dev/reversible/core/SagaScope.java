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
     * The saga this scope belongs to (the outermost one when composites are nested).
     * @return the running saga's name and id
     */
    SagaInfo saga();
}
