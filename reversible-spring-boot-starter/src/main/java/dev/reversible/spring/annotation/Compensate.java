package dev.reversible.spring.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the compensation handler of a {@link ReversibleAction} on the same bean.
 *
 * <p>The handler takes the action's parameters, in order; then, optionally, one parameter for the
 * action's result (a reference type assignable from the action's return type — boxed for a primitive —
 * {@code null} when the action failed); and, optionally, a
 * {@link dev.reversible.spring.CompensationContext} parameter at any position.
 *
 * <pre>{@code
 * @ReversibleAction
 * public long charge(String customer, BigDecimal amount) { ... }
 *
 * @Compensate("charge")
 * public void refund(String customer, BigDecimal amount, Long paymentId, CompensationContext context) {
 *     payments.refund(customer, amount, context.sagaId() + "/" + context.stepIndex());   // idempotency key
 * }
 * }</pre>
 *
 * <p><strong>The handler also runs when its own action failed</strong> — the action may have done part of
 * its work before throwing, and undoing that is the handler's job. It then receives {@code null} as the
 * result and the exception as {@link dev.reversible.spring.CompensationContext#failure()}; a handler must
 * undo only what really happened (a conditional update, or a look-up of what was done), never assume the
 * action completed:
 *
 * <pre>{@code
 * @Compensate("reserveStock")
 * void release(String sku, int quantity, Reservation reservation, CompensationContext context) {
 *     if (reservation == null) {
 *         return;   // reserveStock itself failed before taking anything
 *     }
 *     inventory.putBack(sku, quantity);
 * }
 * }</pre>
 *
 * <p>A handler for an unknown action, two handlers for one action, or parameters that cannot be bound
 * stop the application at start-up with a message naming the bean, the method and the reason.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Compensate {

    /** The name of the action this method compensates. */
    String value();
}
