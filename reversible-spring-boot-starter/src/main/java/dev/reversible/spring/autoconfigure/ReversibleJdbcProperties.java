package dev.reversible.spring.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;

import dev.reversible.jdbc.CompletedSagas;
import dev.reversible.jdbc.JournalSettings;
import dev.reversible.jdbc.RetryBackoff;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Configuration of the durable saga journal ({@code reversible-jdbc}).
 *
 * <pre>{@code
 * reversible.jdbc.initialize-schema=always
 * reversible.jdbc.completed=keep
 * reversible.jdbc.instance-timeout=1m
 * }</pre>
 *
 * @param enabled Whether to write sagas to the journal and recover them after a crash, when a DataSource exists.
 * @param initializeSchema When to create the journal's tables at start-up: 'embedded' (an embedded database only), 'always' or 'never'.
 * @param tablePrefix Prefix of the journal's tables: letters, digits and underscores.
 * @param completed What happens to a saga that ended without compensation: 'delete' its rows, or 'keep' it until the retention purges it.
 * @param instanceName Display name of this instance, shown as a saga's owner; never used to decide ownership. Default: the application name and the host.
 * @param heartbeatInterval How often this instance writes its heartbeat and looks for sagas to recover.
 * @param instanceTimeout How old an instance's heartbeat (on the database's clock) may be before its sagas are recovered by another.
 * @param retry Persistent retry of compensations that failed all their in-memory attempts.
 * @param retention How long completed, failed, compensated and resolved sagas are kept; stuck ones are never purged.
 * @param recoveryBatchSize How many sagas of dead instances one claim takes.
 * @param health The 'reversible' health contributor.
 * @param recovery Recovery of dead instances' sagas.
 */
@ConfigurationProperties("reversible.jdbc")
public record ReversibleJdbcProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("embedded") InitializeSchema initializeSchema,
        @DefaultValue("reversible_") String tablePrefix,
        @DefaultValue("delete") CompletedSagas completed,
        String instanceName,
        @DefaultValue("5s") Duration heartbeatInterval,
        @DefaultValue("30s") Duration instanceTimeout,
        @DefaultValue Retry retry,
        @DefaultValue("7d") Duration retention,
        @DefaultValue("10") int recoveryBatchSize,
        @DefaultValue Health health,
        @DefaultValue Recovery recovery) {

    /** Validates what binding alone cannot. */
    public ReversibleJdbcProperties {
        if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
            throw new IllegalArgumentException("reversible.jdbc.heartbeat-interval must be positive, was " + heartbeatInterval);
        }
        if (instanceTimeout.compareTo(heartbeatInterval) <= 0) {
            throw new IllegalArgumentException("reversible.jdbc.instance-timeout (" + instanceTimeout
                    + ") must be longer than reversible.jdbc.heartbeat-interval (" + heartbeatInterval + ")");
        }
        if (recoveryBatchSize < 1) {
            throw new IllegalArgumentException("reversible.jdbc.recovery-batch-size must be at least 1, was " + recoveryBatchSize);
        }
    }

    /** @return the journal's settings */
    public JournalSettings settings() {
        return new JournalSettings(tablePrefix, completed, instanceTimeout,
                new RetryBackoff(retry.maxAttempts(), retry.initial(), retry.multiplier(), retry.max(),
                        new LinkedHashSet<>(retry.nonRetryable())));
    }

    /** When the journal's schema script is applied at start-up. */
    public enum InitializeSchema {
        /** Only to an embedded database (H2, HSQLDB, Derby in memory). */
        EMBEDDED,
        /** Always (idempotent: the scripts create what is missing). */
        ALWAYS,
        /** Never: the schema comes from a migration tool. */
        NEVER
    }

    /**
     * Persistent retry of compensations that failed all their in-memory attempts.
     *
     * @param maxAttempts Persistent retries before a saga is STUCK; 0 leaves it stuck at once.
     * @param initial Wait before the first persistent retry.
     * @param multiplier How much longer each next wait is.
     * @param max Longest wait between two persistent retries.
     * @param nonRetryable Fully qualified names of exception classes that are never retried persistently: a compensation failing with one of them (or a subclass) leaves its saga STUCK at once.
     */
    public record Retry(@DefaultValue("5") int maxAttempts, @DefaultValue("10s") Duration initial,
            @DefaultValue("2.0") double multiplier, @DefaultValue("10m") Duration max, List<String> nonRetryable) {

        /** An absent list means none. */
        public Retry {
            nonRetryable = nonRetryable == null ? List.of() : List.copyOf(nonRetryable);
        }
    }

    /**
     * Recovery of dead instances' sagas.
     *
     * @param foreignGrace How long a dead instance's saga that this instance cannot compensate (a step's action or bean unknown here, its arguments unreadable: another release wrote it) is left for an instance that can, from when this instance first finds it (on the application's clock), before this one claims it and leaves it STUCK with the reason.
     * @param concurrency How many claimed sagas this instance compensates at once, each on a thread of recovery's own and in its own order; 1 compensates them one after the other. Each saga in flight holds a connection while it writes: keep it below the connection pool's size.
     */
    public record Recovery(@DefaultValue("10m") Duration foreignGrace, @DefaultValue("1") int concurrency) {

        public Recovery {
            if (foreignGrace.isNegative()) {
                throw new IllegalArgumentException("reversible.jdbc.recovery.foreign-grace must not be negative, was " + foreignGrace);
            }
            if (concurrency < 1) {
                throw new IllegalArgumentException("reversible.jdbc.recovery.concurrency must be at least 1, was " + concurrency);
            }
        }
    }

    /**
     * The 'reversible' health contributor.
     *
     * @param stuckStatus Health status reported while at least one saga is STUCK, e.g. 'OUT_OF_SERVICE', 'DOWN' or a custom status. UP by default: a stuck saga waits for an operator, and must not take an instance out of a load balancer.
     */
    public record Health(@DefaultValue("UP") String stuckStatus) {

        /** Checks the status code. */
        public Health {
            if (stuckStatus == null || stuckStatus.isBlank()) {
                throw new IllegalArgumentException("reversible.jdbc.health.stuck-status must not be blank");
            }
        }
    }
}
