package dev.reversible.core.engine;

import dev.reversible.core.CompensationMode;
import dev.reversible.core.CompositeAction;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * What a composite runs under besides its body and its name: its rollback rule, and — when it is the outermost
 * composite of a saga — a deadline and the compensation mode. Set through the composite's own methods
 * ({@link CompositeAction#rollbackOn}, {@link CompositeAction#timeout}, {@link CompositeAction#compensation}); a
 * nested composite's deadline and mode are not consulted: it runs under its saga's. Immutable. Not API: it may change
 * in any release.
 */
public final class SagaOptions {

    /** Every failure rolls back; no deadline; compensations one after another. */
    public static final SagaOptions DEFAULT = new SagaOptions(failure -> true, null, CompensationMode.SEQUENTIAL);

    private final Predicate<? super Throwable> rollbackOn;
    /** From the saga's start to its deadline, or {@code null} for none. */
    private final Duration timeout;
    private final CompensationMode compensation;

    private SagaOptions(Predicate<? super Throwable> rollbackOn, Duration timeout, CompensationMode compensation) {
        this.rollbackOn = rollbackOn;
        this.timeout = timeout;
        this.compensation = compensation;
    }

    /**
     * @param value true for a failure that rolls back the completed steps
     * @return these options with that rollback rule
     */
    public SagaOptions withRollbackOn(Predicate<? super Throwable> value) {
        return new SagaOptions(Objects.requireNonNull(value, "rollbackOn must not be null"), timeout, compensation);
    }

    /**
     * @param value positive, or {@code null} for none
     * @return these options with that deadline
     */
    public SagaOptions withTimeout(Duration value) {
        return new SagaOptions(rollbackOn, value == null ? null : Timeouts.positive(value, "timeout"), compensation);
    }

    /**
     * @param value the mode
     * @return these options with that compensation mode
     */
    public SagaOptions withCompensation(CompensationMode value) {
        return new SagaOptions(rollbackOn, timeout, Objects.requireNonNull(value, "compensation must not be null"));
    }

    /** @return whether {@code failure} rolls back the composite's completed steps: see {@link RollbackRules#test} */
    boolean rollsBackOn(Throwable failure) {
        return RollbackRules.test(rollbackOn, failure);
    }

    Duration timeout() {
        return timeout;
    }

    CompensationMode compensation() {
        return compensation;
    }
}
