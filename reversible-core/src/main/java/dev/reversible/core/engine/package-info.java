/**
 * The engine behind {@code dev.reversible.core}: it runs sagas and rolls them back. <strong>Not API</strong>: nothing
 * here is meant to be called by applications or integrations, and any of it may change in any release. Code against
 * {@code dev.reversible.core}; the public classes here are public only because the API's classes, in another package,
 * call them.
 *
 * <h2>What each class does</h2>
 * The entry point:
 * <ul>
 * <li>{@link dev.reversible.core.engine.Engine} — the one class the API calls: one per {@code SagaExecutor}, holding
 * its two engines, plus the static entry points that belong to no executor (the scope bound to a thread, a step's
 * timeout).</li>
 * <li>{@link dev.reversible.core.engine.CoreAccess} — what the engine reads and changes in the API's objects beyond
 * their public methods (a composite's body and options, a {@code CompensationFailedException}'s bookkeeping),
 * implemented in the API package and handed to {@code Engine}.</li>
 * </ul>
 * Running (rules 1 to 9, 12, 14):
 * <ul>
 * <li>{@code SyncEngine} — runs sagas, steps and composites on the calling thread; a failed step's children, then the
 * step, are undone before its exception leaves; a failed body's steps are rolled back.</li>
 * <li>{@code AsyncEngine} — the same for asynchronous sagas, without blocking a thread.</li>
 * <li>{@code SagaRun} — one outermost saga: its id and name, its events (the only caller of the listeners), its record
 * in the journal, its boundaries (cancellation, {@code Deadline}) and what its rollback did, for the report.</li>
 * <li>{@code SyncScope} — where steps take their place: a composite's body, or a running step (whose steps are its
 * children); it is the {@code SagaScope} a body receives.</li>
 * <li>{@code ThreadScope} — the scopes bound to one thread: the innermost is where a step started there goes; it also
 * suspends the saga around compensations and listeners.</li>
 * <li>{@code AsyncScope} — tracks a body's asynchronous steps, so that the body ends only after all of them; it is the
 * {@code AsyncSagaScope} an asynchronous body receives.</li>
 * <li>{@link dev.reversible.core.engine.Journal} — the steps of one body (or one step's children), in order of start:
 * what a rollback walks.</li>
 * <li>{@code PlacedStep} — a step with its place: the one {@code StepInfo} that the saga's record and its listeners see
 * from its start to its last compensation.</li>
 * </ul>
 * Undoing (rules 7, 9, 10, 13, 15):
 * <ul>
 * <li>{@code Rollback} — walks a journal in exact reverse order, without recursion, under the rollback policy; both
 * engines drive it.</li>
 * <li>{@code ParallelRollback} — the same in happens-before order, for {@code CompensationMode.PARALLEL}.</li>
 * <li>{@code Compensator} — one compensation with its retries and backoff, blocking or not, with the saga suspended.</li>
 * <li>{@code RecordedSteps} — lays out the steps of a {@code RecordedSaga} as a live saga's, so that the same rollback
 * undoes them.</li>
 * </ul>
 * Around them:
 * <ul>
 * <li>{@code Listeners} — fans each event out to every listener, each call guarded (rule 11), the saga suspended.</li>
 * <li>{@code Timeouts}, {@code Deadline}, {@code TimedAsyncAction} — step timeouts and saga deadlines for asynchronous
 * steps, and the engine's own timer and worker threads.</li>
 * <li>{@code Settings} — an executor's configuration; {@link dev.reversible.core.engine.SagaOptions} — what a composite
 * runs under (rollback rule, deadline, compensation mode); {@code RollbackRules} — applies a rollback rule so that a
 * rule that throws still rolls back.</li>
 * <li>{@code Futures}, {@code Sneaky}, {@link dev.reversible.core.engine.Names} — small helpers: user stages as
 * futures, rethrowing the same instance, step names.</li>
 * </ul>
 *
 * <h2>How the classes depend on each other</h2>
 * The helpers, {@code Journal}, {@code PlacedStep}, {@code Timeouts}, {@code Deadline}, {@code RecordedSteps},
 * {@code SagaOptions} and {@code CoreAccess} depend on nothing that depends on them. The classes that run a saga form
 * one group that refer to each other, for two reasons kept on purpose: a scope, which user code holds, calls back the
 * engine that made it (through its {@code SagaRun}, which the saga allocates anyway, rather than a field on every
 * scope); and events and compensations suspend the saga's scope on the thread ({@code ThreadScope}), whose scopes
 * point to their run. Breaking either would put an interface call or a field on the per-step path.
 */
package dev.reversible.core.engine;
