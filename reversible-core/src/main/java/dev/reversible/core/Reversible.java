package dev.reversible.core;

import dev.reversible.core.engine.Engine;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Static entry points, backed by a default {@link SagaExecutor} (policy {@link RollbackPolicy#ABORT},
 * no retry, no listener). Build your own executor with {@link #executor()} for anything else.
 *
 * <pre>{@code
 * Action<Long> createOrder = Reversible.action(
 *         ctx -> { long id = orders.put(details); ctx.put("orderId", id); return id; },
 *         ctx -> { if (ctx.containsKey("orderId")) orders.delete((Long) ctx.get("orderId")); });
 *
 * Action<Long> submitOrder = Reversible.gen(saga -> {
 *     long orderId = saga.run(createOrder);
 *     saga.run(chargeOrder(orderId));       // if this fails, the order is deleted, then the exception is rethrown
 *     return orderId;
 * });
 *
 * long orderId = Reversible.execute(submitOrder);
 * }</pre>
 */
public final class Reversible {

    private static final SagaExecutor DEFAULT = SagaExecutor.builder().build();

    private Reversible() {
    }

    static SagaExecutor defaultExecutor() {
        return DEFAULT;
    }

    /**
     * Executes an action with the default executor.
     * @see SagaExecutor#execute(Action)
     */
    public static <T> T execute(Action<T> action) throws Exception {
        return DEFAULT.execute(action);
    }

    /**
     * Executes an asynchronous action with the default executor.
     * @see SagaExecutor#executeAsync(AsyncAction)
     */
    public static <T> CompletableFuture<T> executeAsync(AsyncAction<T> action) {
        return DEFAULT.executeAsync(action);
    }

    /**
     * Builds an action from two lambdas sharing a fresh, mutable {@code Map} context.
     * @param forwards does the work
     * @param backwards undoes it; must not be {@code null}
     * @return the action, named {@code "action"} until {@link ContextAction#named renamed}
     * @throws NullPointerException when {@code backwards} (or {@code forwards}) is null
     */
    public static <T> ContextAction<Map<String, Object>, T> action(ContextAction.Forwards<? super Map<String, Object>, ? extends T> forwards,
            ContextAction.Backwards<? super Map<String, Object>> backwards) {
        return ContextAction.of(HashMap::new, forwards, backwards);
    }

    /**
     * Builds an action from two lambdas sharing a context made by {@code contextFactory}, once for this action.
     * @param contextFactory makes the context, e.g. {@code UserInfo::new}
     * @param forwards does the work
     * @param backwards undoes it; must not be {@code null}
     * @return the action
     */
    public static <C, T> ContextAction<C, T> action(Supplier<? extends C> contextFactory, ContextAction.Forwards<? super C, ? extends T> forwards,
            ContextAction.Backwards<? super C> backwards) {
        return ContextAction.of(contextFactory, forwards, backwards);
    }

    /**
     * Composes steps into one action: the body runs steps through its {@link SagaScope}; when the body
     * fails, every completed step is undone in reverse order.
     * @param body the body
     * @return the composite action, named {@code "saga"} until {@link CompositeAction#named renamed}
     */
    public static <T> CompositeAction<T> gen(SagaBody<? extends T> body) {
        return CompositeAction.of(body);
    }

    /**
     * Composes asynchronous (and synchronous) steps into one asynchronous action.
     * @param body the body
     * @return the composite action
     */
    public static <T> AsyncCompositeAction<T> genAsync(AsyncSagaBody<? extends T> body) {
        return AsyncCompositeAction.of(body);
    }

    /**
     * The same asynchronous step with a timeout ({@link AsyncAction#timeout()}): when its stage has not completed
     * in time, the step fails with {@link StepTimeoutException} and is compensated as a step whose outcome is
     * unknown. A framework's own step objects override {@code timeout()} instead.
     *
     * <pre>{@code
     * saga.run(Reversible.withTimeout(bookFlight, Duration.ofSeconds(2)));
     * }</pre>
     * @param step the step
     * @param timeout how long its {@code forwards} stage may take, positive
     * @return a step that delegates to {@code step}, with that timeout
     */
    public static <T> AsyncAction<T> withTimeout(AsyncAction<T> step, Duration timeout) {
        return Engine.withTimeout(step, timeout);
    }

    /** @return a builder for an executor with its own policy, retry and listeners */
    public static SagaExecutor.Builder executor() {
        return SagaExecutor.builder();
    }
}
