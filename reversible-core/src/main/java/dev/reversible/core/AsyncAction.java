package dev.reversible.core;

import dev.reversible.core.engine.Names;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * An {@link Action} whose halves are asynchronous: each returns a stage that completes when the work
 * (or its undoing) has finished.
 *
 * <pre>{@code
 * AsyncAction<String> saveComment = new AsyncAction<>() {
 *     volatile String id;
 *     public CompletionStage<String> forwards() { return comments.save(comment).thenApply(i -> id = i); }
 *     public CompletionStage<?> backwards() { return id == null ? CompletableFuture.completedFuture(null) : comments.delete(id); }
 * };
 * String id = Reversible.executeAsync(saveComment).join();
 * }</pre>
 *
 * @param <T> the result type of {@code forwards}'s stage
 */
public interface AsyncAction<T> {

    /**
     * Starts the work.
     * @return a stage completing with the result, or exceptionally with the failure
     */
    CompletionStage<T> forwards();

    /**
     * Starts undoing the work, whether forwards completed or failed half-way.
     * @return a stage completing when the work is undone ({@code null} counts as already done)
     */
    CompletionStage<?> backwards();

    /**
     * Starts one attempt at undoing the work; the executor calls this one, so that a compensation that
     * wants an idempotency key or to log a retry can override it. By default, {@link #backwards()}.
     * @param attempt 1 for the first attempt, then 2, 3, … up to the configured maximum
     * @return a stage completing when the work is undone ({@code null} counts as already done)
     */
    default CompletionStage<?> backwards(int attempt) {
        return backwards();
    }

    /**
     * How long {@link #forwards()}'s stage may take before the step fails with {@link StepTimeoutException} and is
     * compensated as a step whose outcome is unknown (a value it completes with later is logged and dropped).
     * Within a saga that has a deadline, the step is given no longer than the time left.
     * @return the timeout, or {@code null} (the default) for none
     */
    default Duration timeout() {
        return null;
    }

    /**
     * The step's name for events, metrics and {@link CompensationFailedException#pending()}.
     * @return a short, stable name
     */
    default String name() {
        return Names.ofClass(getClass());
    }
}
