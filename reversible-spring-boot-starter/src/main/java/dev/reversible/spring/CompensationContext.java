package dev.reversible.spring;

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
}
