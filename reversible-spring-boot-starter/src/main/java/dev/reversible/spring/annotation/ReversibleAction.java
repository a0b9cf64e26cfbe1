package dev.reversible.spring.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a step of a saga. Inside a {@link ReversibleSaga}, a call that returns pushes its
 * compensation — the {@link Compensate} handler of the same bean, with this call's arguments and
 * result — and a call that throws is compensated at once, before its exception propagates.
 * Outside any saga, the call is a one-step saga (or an error with {@code reversible.outside-saga=fail}).
 *
 * <pre>{@code
 * @Component
 * class Inventory {
 *     @ReversibleAction("reserveStock")
 *     public Reservation reserve(String sku, int quantity) { ... }
 *
 *     @Compensate("reserveStock")
 *     void release(String sku, int quantity, Reservation reservation, CompensationContext context) { ... }
 * }
 * }</pre>
 *
 * <p>The method must be proxyable: public or protected, not final, not private, not static — and
 * called through the bean, not from inside the same class (self-invocation bypasses the proxy).
 * Violations of the first rule stop the application at start-up.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface ReversibleAction {

    /** The action's name, which its {@link Compensate} handler refers to; defaults to the method name. */
    String value() default "";

    /**
     * Whether the step is written to the durable journal (when {@code reversible-jdbc} is wired) so that it is
     * compensated after a crash. {@code false}: compensated in memory only — the journal records that the step
     * ran, without its arguments, and a saga interrupted by a crash after it started is left {@code STUCK}
     * ("not durable") for an operator instead of being compensated. For actions whose arguments cannot be
     * written as JSON (the start-up check refuses them otherwise).
     */
    boolean durable() default true;

    /**
     * Former names of this action, so that sagas journaled under one of them by an earlier release are still
     * compensated by this action after a crash or a rolling deploy: rename {@code reserve} to
     * {@code reserveStock} with {@code @ReversibleAction(value = "reserveStock", aliases = "reserve")}. A name or
     * alias claimed by two actions of one application stops start-up, naming both.
     */
    String[] aliases() default {};

    /**
     * How long an asynchronous action's future may take (Boot's duration format: {@code "2s"}, {@code "500ms"},
     * {@code "PT2S"}); empty, the default, for no limit. When it has not completed in time the step fails with
     * {@link dev.reversible.core.StepTimeoutException} and is compensated as a step whose outcome is unknown: its
     * handler sees {@code CompensationContext.timedOut()} true and no result, and must undo by state; a value the
     * future completes with later is logged and dropped. Refused at start-up on a synchronous action — a thread
     * cannot be stopped safely — with that reason: make the action return a {@code CompletableFuture}, or bound
     * the work inside it (a client timeout).
     */
    String timeout() default "";

    /**
     * Where the durable journal writes this step's record: {@link StepRecord#WRITE_AHEAD} (the default, safe for
     * any side effect) or {@link StepRecord#IN_TRANSACTION} — in the step's own transaction, for a step whose work
     * is all in that transaction on the journal's {@code DataSource}: no journal commit for the step.
     */
    StepRecord record() default StepRecord.WRITE_AHEAD;
}
