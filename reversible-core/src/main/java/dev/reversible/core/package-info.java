/**
 * The framework-free core of {@code reversible}: actions that can be undone, their composition into sagas, and
 * executing them so that a failure undoes what was done, in reverse order. This package is the public API; the engine
 * behind it is the package {@link dev.reversible.core.engine}, which is not API.
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
 * <h2>The types</h2>
 * <ul>
 * <li>Entry points: {@link dev.reversible.core.Reversible} (static, on a default executor) and
 * {@link dev.reversible.core.SagaExecutor} with its builder (rollback policy, compensation retry, listeners, journal).</li>
 * <li>Actions: {@link dev.reversible.core.Action}, {@link dev.reversible.core.AsyncAction},
 * {@link dev.reversible.core.AttemptAwareAction} (a compensation that learns its attempt),
 * {@link dev.reversible.core.ContextAction} (two lambdas sharing a context) and {@link dev.reversible.core.SagaStep}
 * (what a framework's own step objects learn: their place, their transaction's fate, a timeout).</li>
 * <li>Composition: {@link dev.reversible.core.CompositeAction} and {@link dev.reversible.core.AsyncCompositeAction}
 * (what {@code gen} and {@code genAsync} make), their bodies ({@link dev.reversible.core.SagaBody},
 * {@link dev.reversible.core.AsyncSagaBody}), the scopes a body runs steps through
 * ({@link dev.reversible.core.SagaScope}, {@link dev.reversible.core.AsyncSagaScope}), and
 * {@link dev.reversible.core.SagaContext} to carry a saga's scope to another thread.</li>
 * <li>Outcomes: {@link dev.reversible.core.CompensationFailedException}, {@link dev.reversible.core.RollbackReport},
 * {@link dev.reversible.core.RollbackPolicy}, {@link dev.reversible.core.CompensationMode}; time:
 * {@link dev.reversible.core.StepTimeoutException}, and the two {@link dev.reversible.core.SagaStoppedException}s,
 * {@link dev.reversible.core.SagaTimeoutException} and {@link dev.reversible.core.SagaCancelledException}.</li>
 * <li>Observing and recording: {@link dev.reversible.core.SagaListener} (events, each naming the saga and the step as
 * objects: {@link dev.reversible.core.SagaInfo}, {@link dev.reversible.core.StepInfo}), the journal SPI
 * ({@link dev.reversible.core.SagaJournal}, {@link dev.reversible.core.SagaRecord}) and
 * {@link dev.reversible.core.RecordedSaga}, to roll back a saga known only from its record.</li>
 * </ul>
 *
 * <h2>Where each rule lives</h2>
 * The numbered rules that comments here cite ("rule 6", "rule 14") are defined in {@code docs/design.md} at the root of
 * the repository, which also lists the class and method holding each. Followed along one call, with the engine's
 * classes named as they appear in {@code dev.reversible.core.engine}:
 * <ol>
 * <li>{@code SagaExecutor.execute} hands the action to the engine's entry point, {@code Engine}, which gives it to
 * {@code SyncEngine} ({@code executeAsync}: to {@code AsyncEngine}). The engine makes one {@code SagaRun} per saga — its
 * id, its events, its record, its boundaries (cancellation, deadline) — and runs the action: a lone action as one step
 * (rules 1 to 3), a composite by running its body with a {@link dev.reversible.core.SagaScope} (rule 5).</li>
 * <li>A body's {@code saga.run(step)} is {@code SyncScope.run}: the step takes its slot in the body's {@code Journal}
 * and its index in the saga when it starts (rule 14), and while its {@code forwards} runs, {@code ThreadScope} keeps it
 * innermost on the thread, so that a step it starts is its child. When a step fails, {@code SyncEngine} undoes its
 * children and then the step itself before the exception reaches the body (rule 6); a nested composite's journal
 * becomes one entry of its parent's (rule 8).</li>
 * <li>When the body fails, {@code Rollback} walks the journal in exact reverse order, without recursion (rules 7, 9,
 * 13), under the {@link dev.reversible.core.RollbackPolicy} (rule 10), and {@code Compensator} runs each compensation
 * with its retries (rule 10), with the saga suspended so that what a compensation starts is a saga of its own. With
 * {@link dev.reversible.core.CompensationMode#PARALLEL}, {@code ParallelRollback} does the same in happens-before order
 * (rule 15). The caller gets the original exception, the same instance, or a
 * {@link dev.reversible.core.CompensationFailedException} that loses nothing (rules 2, 3).</li>
 * <li>{@code Listeners} sends each event to every listener, each call guarded (rule 11); {@code PlacedStep} is the one
 * {@link dev.reversible.core.StepInfo} per step that the listeners and the saga's record see.</li>
 * <li>Asynchronous sagas keep the same rules (rule 12): {@code AsyncEngine} and {@code AsyncScope} run and roll back
 * without blocking a thread; {@code Timeouts} bounds a step by its timeout and its saga's {@code Deadline}.</li>
 * <li>A {@link dev.reversible.core.RecordedSaga} given to {@code SagaExecutor.rollBack} is laid out as a live saga
 * ({@code RecordedSteps}) and rolled back by the same {@code Rollback} and {@code Compensator}, with the same events
 * and report.</li>
 * </ol>
 * This package and its engine import nothing but the JDK.
 */
package dev.reversible.core;
