package dev.reversible.core;

import dev.reversible.core.engine.Names;

/**
 * An operation that can be undone: {@link #forwards()} does it, {@link #backwards()} undoes it.
 *
 * <p>When {@code forwards} throws, {@code backwards} is called exactly once to undo whatever
 * part of the work was done, so it must cope with a half-done {@code forwards}:
 * <pre>{@code
 * class CreateUser implements Action<Long> {
 *     private Long userId;
 *     public Long forwards() { userId = users.create(details); return userId; }
 *     public void backwards() { if (userId != null) users.delete(userId); }   // null: creation failed
 * }
 * Long id = Reversible.execute(new CreateUser());
 * }</pre>
 *
 * @param <T> what {@code forwards} returns
 * @see Reversible#action(ContextAction.Forwards, ContextAction.Backwards)
 */
public interface Action<T> {

    /**
     * Does the work.
     * @return the result, handed back to whoever runs the action
     * @throws Exception any failure; the action is then undone by {@link #backwards()}
     */
    T forwards() throws Exception;

    /**
     * Undoes the work of {@link #forwards()}, whether it completed or failed half-way.
     * @throws Exception when the work cannot be undone; the failure is reported, never lost
     */
    void backwards() throws Exception;

    /**
     * The step's name, used in events, metrics, logs and {@link CompensationFailedException#pending()}.
     * Defaults to the simple class name (the full name for anonymous and lambda classes).
     * @return a short, stable name; never argument values
     */
    default String name() {
        return Names.ofClass(getClass());
    }
}
