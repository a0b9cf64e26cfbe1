package dev.reversible.spring.autoconfigure;

import java.time.Duration;

import dev.reversible.core.RollbackPolicy;
import dev.reversible.spring.aop.OutsideSagaPolicy;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.core.Ordered;

/**
 * Configuration of reversible sagas.
 *
 * <pre>{@code
 * reversible.rollback-policy=continue
 * reversible.compensation.retry.max-attempts=3
 * reversible.compensation.retry.backoff=200ms
 * }</pre>
 *
 * @param enabled Whether to enable reversible sagas: the aspect, the executor, metrics and the endpoint.
 * @param rollbackPolicy What a rollback does when a compensation fails: 'abort' stops at the first failed compensation, 'continue' runs every remaining one.
 * @param compensation How compensations are run.
 * @param aspectOrder Order of the saga aspect among other advice. The default (Ordered.LOWEST_PRECEDENCE - 1) makes the saga boundary wrap @Transactional.
 * @param outsideSaga What a @ReversibleAction called outside any @ReversibleSaga does: 'execute' runs it as a one-step saga, 'fail' throws IllegalStateException.
 * @param historySize How many recent rollbacks the actuator endpoint keeps.
 */
@ConfigurationProperties("reversible")
public record ReversibleProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("abort") RollbackPolicy rollbackPolicy,
        @DefaultValue Compensation compensation,
        @DefaultValue("" + DEFAULT_ASPECT_ORDER) int aspectOrder,
        @DefaultValue("execute") OutsideSagaPolicy outsideSaga,
        @DefaultValue("50") int historySize) {

    /** Just outside {@code @Transactional}'s default order, so that the saga boundary wraps the transaction. */
    public static final int DEFAULT_ASPECT_ORDER = Ordered.LOWEST_PRECEDENCE - 1;

    /** Validates the values that binding alone cannot. */
    public ReversibleProperties {
        if (historySize < 0) {
            throw new IllegalArgumentException("reversible.history-size must not be negative, was " + historySize);
        }
    }

    /**
     * How compensations are run.
     *
     * @param retry Retry of a failed compensation.
     */
    public record Compensation(@DefaultValue Retry retry) {
    }

    /**
     * Retry of a failed compensation.
     *
     * @param maxAttempts How many attempts each compensation gets, the first included (1 means no retry).
     * @param backoff How long to wait between two attempts of a compensation.
     */
    public record Retry(@DefaultValue("1") int maxAttempts, @DefaultValue("0ms") Duration backoff) {

        /** Validates the values that binding alone cannot. */
        public Retry {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("reversible.compensation.retry.max-attempts must be at least 1, was " + maxAttempts);
            }
            if (backoff.isNegative()) {
                throw new IllegalArgumentException("reversible.compensation.retry.backoff must not be negative, was " + backoff);
            }
        }
    }
}
