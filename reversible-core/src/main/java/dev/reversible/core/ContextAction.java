package dev.reversible.core;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * An {@link Action} built from two lambdas that share a context object — the Java form of the seed's
 * {@code @reversible.action} decorator. Each action instance gets its own, fresh context.
 *
 * <pre>{@code
 * Action<Long> createOrder = Reversible.action(
 *         ctx -> { long id = orders.put(details); ctx.put("orderId", id); return id; },
 *         ctx -> { if (ctx.containsKey("orderId")) orders.delete((Long) ctx.get("orderId")); })
 *     .named("createOrder");
 * }</pre>
 *
 * @param <C> the context type
 * @param <T> what {@code forwards} returns
 */
public final class ContextAction<C, T> implements Action<T> {

    /**
     * The forwards half: does the work, may leave notes for the backwards half in the context.
     * @param <C> the context type
     * @param <T> the result type
     */
    @FunctionalInterface
    public interface Forwards<C, T> {
        /**
         * @param context shared with the backwards half
         * @return the result
         * @throws Exception any failure
         */
        T apply(C context) throws Exception;
    }

    /**
     * The backwards half: undoes the work, reading what forwards left in the context.
     * @param <C> the context type
     */
    @FunctionalInterface
    public interface Backwards<C> {
        /**
         * @param context the same object forwards received
         * @throws Exception when the work cannot be undone
         */
        void accept(C context) throws Exception;
    }

    private final String name;
    private final C context;
    private final Forwards<? super C, ? extends T> forwards;
    private final Backwards<? super C> backwards;

    ContextAction(String name, C context, Forwards<? super C, ? extends T> forwards, Backwards<? super C> backwards) {
        this.name = name;
        this.context = context;
        this.forwards = Objects.requireNonNull(forwards, "forwards must not be null");
        this.backwards = Objects.requireNonNull(backwards, "backwards must not be null: an action needs a way to be undone");
    }

    static <C, T> ContextAction<C, T> of(Supplier<? extends C> contextFactory, Forwards<? super C, ? extends T> forwards,
            Backwards<? super C> backwards) {
        Objects.requireNonNull(contextFactory, "contextFactory must not be null");
        Objects.requireNonNull(backwards, "backwards must not be null: an action needs a way to be undone");
        return new ContextAction<>("action", contextFactory.get(), forwards, backwards);
    }

    /**
     * The same action (sharing this one's context) under another name.
     * @param name the step name for events, metrics and {@link CompensationFailedException#pending()}
     * @return a renamed action
     */
    public ContextAction<C, T> named(String name) {
        Objects.requireNonNull(name, "name must not be null");
        return new ContextAction<>(name, context, forwards, backwards);
    }

    /** @return the context shared by both halves */
    public C context() {
        return context;
    }

    @Override
    public T forwards() throws Exception {
        return forwards.apply(context);
    }

    @Override
    public void backwards() throws Exception {
        backwards.accept(context);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return "ContextAction[" + name + "]";
    }
}
