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
 * {@link dev.reversible.core.StepInfo}), {@link dev.reversible.core.RecordedSaga} for rolling back a saga known
 * from its record, and time and concurrency: step timeouts ({@link dev.reversible.core.AsyncAction#timeout()},
 * {@link dev.reversible.core.StepTimeoutException}), saga deadlines ({@link dev.reversible.core.CompositeAction#timeout},
 * {@link dev.reversible.core.SagaTimeoutException}), cancellation ({@link dev.reversible.core.SagaExecutor#cancel},
 * {@link dev.reversible.core.SagaCancelledException}) and {@link dev.reversible.core.CompensationMode}. The
 * package-private classes are the one engine behind {@code SagaExecutor}: {@code SyncEngine} and {@code AsyncEngine}
 * run steps, {@code Rollback} orders a sequential rollback under the policy and {@code ParallelRollback} a parallel
 * one, {@code Compensator} runs one compensation with its retries, {@code Timeouts} bounds asynchronous steps,
 * {@code SagaRun} sends a saga's events, feeds its record and holds its boundaries. Which class
 * holds each numbered rule is listed in {@code docs/design.md}. This package imports nothing but the JDK.
 *
 * <p>The numbered rules that comments here cite ("rule 6", "rule 14") are defined in {@code docs/design.md}
 * at the root of the repository.
 */
package dev.reversible.core;
