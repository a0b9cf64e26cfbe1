/**
 * The framework-free core of {@code reversible}: actions that can be undone, their
 * composition into sagas, and the one engine that executes them and rolls them back.
 *
 * <p>Start with {@link dev.reversible.core.Reversible}:
 * <pre>{@code
 * Action<String> placeOrder = Reversible.gen(saga -> {
 *     String orderId = saga.run(createOrder(cart));
 *     saga.run(charge(orderId, total));
 *     return orderId;
 * });
 * String orderId = Reversible.execute(placeOrder);   // a failure undoes what was done, in reverse order
 * }</pre>
 *
 * <p>Every rule of ordering, rollback, retry and events lives in {@link dev.reversible.core.SagaExecutor};
 * the rest of this package is vocabulary. This package imports nothing but the JDK.
 *
 * <p>The numbered rules that comments here cite ("rule 6", "rule 14") are defined in {@code docs/design.md}
 * at the root of the repository.
 */
package dev.reversible.core;
