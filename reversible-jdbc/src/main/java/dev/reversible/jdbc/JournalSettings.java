package dev.reversible.jdbc;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How the journal behaves. The starter builds it from {@code reversible.jdbc.*}.
 *
 * @param tablePrefix the tables' prefix, {@code reversible_} by default; letters, digits and underscores
 *     only (it is written into SQL). The shipped scripts use {@code reversible_}: with another prefix,
 *     apply {@link JournalSchema#script} instead
 * @param completedSagas what happens to a saga that ended without compensation
 * @param instanceTimeout how old an instance's heartbeat (on the database's clock) may be before the
 *     instance counts as dead and its sagas may be claimed
 * @param retry the persistent compensation retry
 */
public record JournalSettings(String tablePrefix, CompletedSagas completedSagas, Duration instanceTimeout,
        RetryBackoff retry) {

    private static final Pattern PREFIX = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** Checks the values. */
    public JournalSettings {
        Objects.requireNonNull(completedSagas, "completedSagas");
        Objects.requireNonNull(retry, "retry");
        if (tablePrefix == null || !PREFIX.matcher(tablePrefix).matches()) {
            throw new IllegalArgumentException("A table prefix is letters, digits and underscores, not '" + tablePrefix + "'");
        }
        if (instanceTimeout == null || instanceTimeout.toMillis() <= 0) {
            throw new IllegalArgumentException("The instance timeout must be positive, not " + instanceTimeout);
        }
    }

    /** @return prefix {@code reversible_}, completed sagas deleted, a 30s instance timeout, {@link RetryBackoff#defaults()} */
    public static JournalSettings defaults() {
        return new JournalSettings("reversible_", CompletedSagas.DELETE, Duration.ofSeconds(30), RetryBackoff.defaults());
    }

    /** @param prefix another table prefix @return these settings with it */
    public JournalSettings withTablePrefix(String prefix) {
        return new JournalSettings(prefix, completedSagas, instanceTimeout, retry);
    }

    /** @param mode another mode @return these settings with it */
    public JournalSettings withCompletedSagas(CompletedSagas mode) {
        return new JournalSettings(tablePrefix, mode, instanceTimeout, retry);
    }

    /** @param timeout another instance timeout @return these settings with it */
    public JournalSettings withInstanceTimeout(Duration timeout) {
        return new JournalSettings(tablePrefix, completedSagas, timeout, retry);
    }

    /** @param backoff another retry @return these settings with it */
    public JournalSettings withRetry(RetryBackoff backoff) {
        return new JournalSettings(tablePrefix, completedSagas, instanceTimeout, backoff);
    }
}
