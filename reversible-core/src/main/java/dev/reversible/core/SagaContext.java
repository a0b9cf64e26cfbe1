package dev.reversible.core;

import dev.reversible.core.engine.Engine;

/**
 * The saga scope bound to the current thread, as a value that can be carried to another thread: a
 * task submitted while a saga runs, run elsewhere with that value bound, starts steps that join the
 * saga — children of the step whose {@code forwards} was running when the value was captured. A
 * context-propagation library calls these (the Spring Boot starter registers them with Micrometer's
 * context-propagation as a {@code ThreadLocalAccessor}); application code rarely needs them.
 *
 * <pre>{@code
 * SagaScope captured = SagaContext.current();             // on the saga's thread
 * pool.execute(() -> {
 *     SagaScope previous = SagaContext.bind(captured);    // on the pool thread
 *     try {
 *         inventory.reserve(sku);                         // a step of the captured saga
 *     } finally {
 *         SagaContext.bind(previous);
 *     }
 * });
 * }</pre>
 *
 * <p>A step that tries to join a saga that has ended meanwhile fails with an
 * {@link IllegalStateException} naming the saga.
 */
public final class SagaContext {

    private SagaContext() {
    }

    /** @return the innermost scope bound to this thread, of any executor, or {@code null} */
    public static SagaScope current() {
        return Engine.boundScope();
    }

    /**
     * Binds a captured scope to this thread, replacing what was bound.
     * @param scope a value {@link #current()} returned (on any thread), or {@code null} to unbind
     * @return what was bound before, to bind again afterwards
     * @throws IllegalArgumentException for a scope that did not come from {@link #current()}
     */
    public static SagaScope bind(SagaScope scope) {
        return Engine.bind(scope);
    }
}
