package dev.reversible.spring;

import dev.reversible.core.StepTimeoutException;

/**
 * What a {@link dev.reversible.spring.annotation.Compensate} handler may ask about the step it undoes —
 * enough to build an idempotency key ({@code sagaId() + "/" + stepIndex()}) or to log a retry.
 *
 * <pre>{@code
 * @Compensate("charge")
 * void refund(String customer, BigDecimal amount, CompensationContext context) {
 *     payments.refund(customer, amount, context.sagaId() + "/" + context.stepIndex());
 * }
 * }</pre>
 */
public interface CompensationContext {

    /** @return the id of the outermost saga the step ran in */
    String sagaId();

    /** @return the name of the outermost saga the step ran in */
    String sagaName();

    /** @return the step's action name */
    String stepName();

    /** @return the step's position, from 0, in the order steps started within the outermost saga */
    int stepIndex();

    /** @return what the action returned; {@code null} when it failed or returns nothing */
    Object result();

    /** @return the action's exception when the step itself failed, else {@code null} */
    Throwable failure();

    /** @return which attempt of the compensation this is: 1 for the first */
    int attempt();

    /**
     * Whether the step is compensated because it timed out ({@code @ReversibleAction(timeout = ...)}, or its saga's
     * deadline): its outcome is unknown — its work may have been done, or may still be under way — so
     * {@link #result()} is {@code null} and the handler must undo by state (look the work up by its idempotency key).
     * {@link #failure()} is then the {@link StepTimeoutException}.
     * @return {@code true} when the step timed out
     */
    default boolean timedOut() {
        return failure() instanceof StepTimeoutException;
    }
}
