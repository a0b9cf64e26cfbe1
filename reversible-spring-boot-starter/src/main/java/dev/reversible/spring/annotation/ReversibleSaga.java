package dev.reversible.spring.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import dev.reversible.core.CompensationMode;

import org.springframework.core.annotation.AliasFor;

/**
 * Marks a saga boundary: while the method runs, every {@link ReversibleAction} it calls (directly or
 * through other beans) is a step; when the method throws, the completed steps are compensated in
 * reverse order and the same exception is rethrown. On a class, it covers the class's public methods.
 *
 * <p>Unlike {@code @Transactional}, every exception rolls back by default — checked ones too: a
 * checked exception is still a failure half-way through a business operation.
 *
 * <pre>{@code
 * @Service
 * class OrderService {
 *     @ReversibleSaga(noRollbackFor = PaymentPendingException.class)
 *     public Order placeOrder(OrderRequest request) {
 *         Reservation reservation = inventory.reserve(request.sku(), request.quantity());   // @ReversibleAction
 *         payments.charge(request.customer(), reservation.amount());                        // @ReversibleAction
 *         return shipping.book(reservation);                                                // @ReversibleAction
 *     }
 * }
 * }</pre>
 *
 * <p>A saga called inside another is a step of the outer one: its own failure rolls back only its own
 * steps, and the outer's rollback undoes them too.
 */
@Target({ ElementType.METHOD, ElementType.TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Documented
public @interface ReversibleSaga {

    /** Alias for {@link #name()}. */
    @AliasFor("name")
    String value() default "";

    /**
     * The saga's name in metrics, logs and the actuator endpoint. Defaults to
     * {@code SimpleClassName.methodName} of the annotated class (never a proxy's name).
     */
    @AliasFor("value")
    String name() default "";

    /**
     * Exceptions that roll back even where a more general {@link #noRollbackFor()} class would not.
     * With both attributes, the class closest to the thrown exception in its class hierarchy wins.
     */
    Class<? extends Throwable>[] rollbackFor() default {};

    /**
     * Exceptions that leave the completed steps in place (the step that threw is still compensated).
     */
    Class<? extends Throwable>[] noRollbackFor() default {};

    /**
     * The saga's deadline, from its start (Boot's duration format: {@code "30s"}, {@code "PT30S"}); empty, the
     * default, for none. Past it no further step starts — the attempt fails with
     * {@link dev.reversible.core.SagaTimeoutException} and the saga rolls back, whatever {@link #noRollbackFor()}
     * says — and an asynchronous step still pending fails as timed out. Only the outermost saga's deadline counts.
     */
    String timeout() default "";

    /**
     * How the saga's compensations are ordered when it rolls back: {@link CompensationMode#SEQUENTIAL} (the
     * default, strict reverse order of start) or {@link CompensationMode#PARALLEL} (happens-before order: steps that
     * overlapped — concurrent asynchronous steps — are compensated concurrently). Only the outermost saga's mode
     * counts.
     */
    CompensationMode compensation() default CompensationMode.SEQUENTIAL;
}
