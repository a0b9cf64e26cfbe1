package dev.reversible.spring.metadata;

import java.time.Duration;
import java.util.Objects;

import dev.reversible.core.CompensationMode;

/**
 * A parsed {@link dev.reversible.spring.annotation.ReversibleSaga}: the saga's name and its rollback rule.
 *
 * <pre>{@code
 * SagaSpec spec = new SagaSpec("OrderService.placeOrder", RollbackRule.ALWAYS);
 * }</pre>
 *
 * @param name the saga name
 * @param rollbackRule decides which failures roll back the completed steps
 * @param timeout the saga's deadline from its start ({@code @ReversibleSaga(timeout = ...)}), or {@code null} for none
 * @param compensation how its compensations are ordered ({@code @ReversibleSaga(compensation = ...)})
 */
public record SagaSpec(String name, RollbackRule rollbackRule, Duration timeout, CompensationMode compensation) implements OperationSpec {

    /** Checks that the parts are present. */
    public SagaSpec {
        Objects.requireNonNull(name, "name must not be null");
        Objects.requireNonNull(rollbackRule, "rollbackRule must not be null");
        Objects.requireNonNull(compensation, "compensation must not be null");
    }

    /**
     * A saga with no deadline, compensated sequentially.
     * @param name the saga name
     * @param rollbackRule decides which failures roll back the completed steps
     */
    public SagaSpec(String name, RollbackRule rollbackRule) {
        this(name, rollbackRule, null, CompensationMode.SEQUENTIAL);
    }
}
