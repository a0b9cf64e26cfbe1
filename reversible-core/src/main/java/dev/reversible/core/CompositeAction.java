package dev.reversible.core;

import dev.reversible.core.engine.Journal;
import dev.reversible.core.engine.SagaOptions;

import java.util.Objects;
import java.util.function.Predicate;

/**
 * The action a {@link Reversible#gen(SagaBody) gen} body becomes: runs the body's steps and, when the
 * body fails, undoes every completed step in reverse order. A composite is itself an action, so it can
 * be a step of another composite.
 *
 * <p>A composite is bound to no executor: it runs under the policy, retry and listeners of the
 * executor that executes it, nested composites included. Called directly ({@code forwards()}), it runs
 * under {@link Reversible}'s default executor.
 *
 * <pre>{@code
 * CompositeAction<String> placeOrder = Reversible.gen(saga -> saga.run(reserve) + saga.run(charge))
 *     .named("placeOrder")
 *     .rollbackOn(e -> !(e instanceof OutOfStockWarning));
 * }</pre>
 *
 * @param <T> the body's result type
 */
public final class CompositeAction<T> implements Action<T> {

    final String name;
    final SagaBody<? extends T> body;
    /** The rollback rule, deadline and compensation mode: read by the engine through {@link EngineAccess}. */
    final SagaOptions options;
    /**
     * What the last direct {@link #forwards()} call on each thread left to undo, for a direct
     * {@link #backwards()} on that thread: a composite may be shared between threads, and one thread's
     * call must never undo, or forget, another's. Made on the first direct call: most composites never have one.
     */
    private volatile ThreadLocal<Journal> directCalls;

    CompositeAction(String name, SagaBody<? extends T> body, SagaOptions options) {
        this.options = options;
        this.name = Objects.requireNonNull(name, "name must not be null");
        this.body = Objects.requireNonNull(body, "body must not be null");
    }

    static <T> CompositeAction<T> of(SagaBody<? extends T> body) {
        return new CompositeAction<>("saga", body, SagaOptions.DEFAULT);
    }

    /**
     * The same composite under another name.
     * @param name the saga name for events and metrics
     * @return a renamed composite
     */
    public CompositeAction<T> named(String name) {
        return new CompositeAction<>(name, body, options);
    }

    /**
     * The same composite, rolling back its completed steps only for failures the predicate accepts.
     * A failure it rejects leaves the completed steps in place (an enclosing saga that does roll back
     * still undoes them); a step that fails is always undone itself.
     * @param rollbackOn true for a failure that rolls back the completed steps
     * @return a composite with that rule
     */
    public CompositeAction<T> rollbackOn(Predicate<? super Throwable> rollbackOn) {
        return new CompositeAction<>(name, body, options.withRollbackOn(rollbackOn));
    }

    /**
     * The same composite with a deadline, when it runs as a saga: past {@code timeout} from the saga's start no
     * further step may start — the attempt fails with {@link SagaTimeoutException}, so the saga rolls back — and
     * an asynchronous step still pending then fails with {@link StepTimeoutException}. A nested composite's
     * timeout is not consulted: it runs under its saga's deadline.
     * @param timeout positive, or {@code null} for none (the default)
     * @return a composite with that deadline
     */
    public CompositeAction<T> timeout(java.time.Duration timeout) {
        return new CompositeAction<>(name, body, options.withTimeout(timeout));
    }

    /**
     * The same composite with another compensation mode, when it runs as a saga (rule 15 for
     * {@link CompensationMode#PARALLEL}); a nested composite runs under its saga's mode.
     * @param compensation the mode; default {@link CompensationMode#SEQUENTIAL}
     * @return a composite with that mode
     */
    public CompositeAction<T> compensation(CompensationMode compensation) {
        return new CompositeAction<>(name, body, options.withCompensation(compensation));
    }

    /**
     * The same name, rollback rule and options around another body: a framework builds those settings once and
     * allocates one composite per call.
     * @param body the body
     * @param <R> its result type
     * @return a composite with this one's name and rule
     */
    public <R> CompositeAction<R> withBody(SagaBody<? extends R> body) {
        return new CompositeAction<>(name, body, options);
    }

    /** Runs the composite as a saga of its own under {@link Reversible}'s default executor. */
    @Override
    public T forwards() throws Exception {
        ThreadLocal<Journal> calls = directCalls();
        // Forget this thread's previous call first: a call that fails has undone its own steps, and a
        // backwards() after it must then do nothing (rule 8) rather than undo an earlier call's steps.
        calls.remove();
        Journal kept = new Journal();
        T result = Reversible.defaultExecutor().executeDirect(this, kept);
        calls.set(kept);
        return result;
    }

    /**
     * Undoes the steps of this thread's last direct {@link #forwards()} call, in reverse order, when that
     * call succeeded; does nothing when it failed (it has undone its own steps already) or when they were
     * undone already.
     */
    @Override
    public void backwards() throws Exception {
        ThreadLocal<Journal> calls = directCalls;
        Journal journal = calls == null ? null : calls.get();
        if (calls != null) {
            calls.remove();
        }
        if (journal != null) {
            Reversible.defaultExecutor().rollbackDirect(name, journal);
        }
    }

    private ThreadLocal<Journal> directCalls() {
        ThreadLocal<Journal> calls = directCalls;
        if (calls == null) {
            synchronized (this) {
                calls = directCalls;
                if (calls == null) {
                    calls = new ThreadLocal<>();
                    directCalls = calls;
                }
            }
        }
        return calls;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return "CompositeAction[" + name + "]";
    }
}
