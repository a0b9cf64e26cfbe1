package dev.reversible.core;

import java.time.Duration;

/**
 * What an outermost saga runs under besides its executor's settings: a deadline and the compensation mode. Set
 * on a composite ({@link CompositeAction#timeout}, {@link CompositeAction#compensation}); a nested composite's
 * options are not consulted — it runs under its saga's.
 *
 * @param timeout from the saga's start to its deadline, or {@code null} for none
 * @param compensation how the saga's compensations are ordered
 */
record SagaOptions(Duration timeout, CompensationMode compensation) {

    static final SagaOptions DEFAULT = new SagaOptions(null, CompensationMode.SEQUENTIAL);

    SagaOptions withTimeout(Duration value) {
        return new SagaOptions(value == null ? null : Timeouts.positive(value, "timeout"), compensation);
    }

    SagaOptions withCompensation(CompensationMode value) {
        return new SagaOptions(timeout, java.util.Objects.requireNonNull(value, "compensation must not be null"));
    }
}
