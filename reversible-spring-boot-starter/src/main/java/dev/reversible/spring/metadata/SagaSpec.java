package dev.reversible.spring.metadata;

import java.util.Objects;

/**
 * A parsed {@link dev.reversible.spring.annotation.ReversibleSaga}: the saga's name and its rollback rule.
 *
 * <pre>{@code
 * SagaSpec spec = new SagaSpec("OrderService.placeOrder", RollbackRule.ALWAYS);
 * }</pre>
 *
 * @param name the saga name
 * @param rollbackRule decides which failures roll back the completed steps
 */
public record SagaSpec(String name, RollbackRule rollbackRule) implements OperationSpec {

    /** Checks that both parts are present. */
    public SagaSpec {
        Objects.requireNonNull(name, "name must not be null");
        Objects.requireNonNull(rollbackRule, "rollbackRule must not be null");
    }
}
