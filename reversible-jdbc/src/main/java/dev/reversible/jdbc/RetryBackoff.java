package dev.reversible.jdbc;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * The persistent retry of a saga's compensations (after the in-memory attempts failed): up to
 * {@code maxAttempts} retries, waiting {@code initial}, then each time {@code multiplier} times longer, at
 * most {@code max}. Temporal's retry policy is the model, non-retryable exception types included: a
 * compensation that fails with one of {@code nonRetryable} (or a subclass) makes the saga
 * {@link SagaStatus#STUCK} at once, with no persistent retry.
 *
 * @param maxAttempts persistent retries before the saga is {@link SagaStatus#STUCK}; 0 sticks at once
 * @param initial the wait before the first retry
 * @param multiplier how much longer each next wait is, at least 1
 * @param max the longest wait
 * @param nonRetryable fully qualified names of exception classes never retried (their subclasses neither)
 */
public record RetryBackoff(int maxAttempts, Duration initial, double multiplier, Duration max, Set<String> nonRetryable) {

    /** Checks the values. */
    public RetryBackoff {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        nonRetryable = nonRetryable == null ? Set.of() : Set.copyOf(nonRetryable);
        if (maxAttempts < 0 || multiplier < 1 || initial.isNegative() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("Bad retry backoff: " + maxAttempts + " attempts, " + initial
                    + " × " + multiplier + " up to " + max);
        }
    }

    /**
     * A backoff that retries every failure.
     * @param maxAttempts persistent retries before the saga is {@link SagaStatus#STUCK}; 0 sticks at once
     * @param initial the wait before the first retry
     * @param multiplier how much longer each next wait is, at least 1
     * @param max the longest wait
     */
    public RetryBackoff(int maxAttempts, Duration initial, double multiplier, Duration max) {
        this(maxAttempts, initial, multiplier, max, Set.of());
    }

    /** @return 5 retries, waiting 10s, ×2, at most 10 minutes */
    public static RetryBackoff defaults() {
        return new RetryBackoff(5, Duration.ofSeconds(10), 2.0, Duration.ofMinutes(10));
    }

    /**
     * @param attempt the retry about to be scheduled, from 1
     * @return how long to wait before it
     */
    public Duration delay(int attempt) {
        double millis = initial.toMillis() * Math.pow(multiplier, Math.max(0, attempt - 1));
        return millis >= max.toMillis() ? max : Duration.ofMillis((long) millis);
    }

    /**
     * @param failure a compensation's failure
     * @return false when its class, or one of its superclasses, is one of {@link #nonRetryable()}
     */
    public boolean isRetryable(Throwable failure) {
        if (failure == null || nonRetryable.isEmpty()) {
            return true;
        }
        for (Class<?> type = failure.getClass(); type != null; type = type.getSuperclass()) {
            if (nonRetryable.contains(type.getName())) {
                return false;
            }
        }
        return true;
    }
}
