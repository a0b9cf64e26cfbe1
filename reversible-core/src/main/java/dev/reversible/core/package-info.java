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
 * <p>The public API: {@link dev.reversible.core.Reversible}, {@link dev.reversible.core.SagaExecutor} and its
 * builder, the action types ({@link dev.reversible.core.Action}, {@link dev.reversible.core.AsyncAction},
 * {@link dev.reversible.core.AttemptAwareAction}, {@link dev.reversible.core.SagaStep}), the scopes, the events
 * ({@link dev.reversible.core.SagaListener}, {@link dev.reversible.core.RollbackReport}), the journal SPI
 * ({@link dev.reversible.core.SagaJournal}, {@link dev.reversible.core.SagaRecord},
 * {@link dev.reversible.core.StepInfo}) and {@link dev.reversible.core.RecordedSaga} for rolling back a saga known
 * from its record. The package-private classes are the one engine behind {@code SagaExecutor}: {@code SyncEngine}
 * and {@code AsyncEngine} run steps, {@code Rollback} orders a rollback under the policy, {@code Compensator} runs
 * one compensation with its retries, {@code SagaRun} sends a saga's events and feeds its record. Which class
 * holds each numbered rule is listed in {@code docs/design.md}. This package imports nothing but the JDK.
 *
 * <p>The numbered rules that comments here cite ("rule 6", "rule 14") are defined in {@code docs/design.md}
 * at the root of the repository.
 */
package dev.reversible.core;
