package dev.reversible.core;

/**
 * An {@link Action} whose compensation wants to know which attempt it is — to build an
 * idempotency key, or to log a retry. When {@link SagaExecutor.Builder#compensationRetry compensation
 * retry} is on, the executor calls {@link #backwards(int)} with 1, 2, … instead of {@link #backwards()}.
 *
 * <pre>{@code
 * class Refund implements AttemptAwareAction<Void> {
 *     public Void forwards() { payments.charge(order, amount); return null; }
 *     public void backwards(int attempt) { payments.refund(order, amount, "refund-" + order + "-" + attempt); }
 * }
 * }</pre>
 *
 * @param <T> what {@code forwards} returns
 */
public interface AttemptAwareAction<T> extends Action<T> {

    /**
     * Undoes the work of {@link #forwards()}.
     * @param attempt 1 for the first attempt, then 2, 3, … up to the configured maximum
     * @throws Exception when the work cannot be undone on this attempt
     */
    void backwards(int attempt) throws Exception;

    /** Calls {@link #backwards(int)} as a first attempt. */
    @Override
    default void backwards() throws Exception {
        backwards(1);
    }
}
