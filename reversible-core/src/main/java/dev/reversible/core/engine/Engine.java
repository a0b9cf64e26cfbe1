package dev.reversible.core.engine;

import dev.reversible.core.Action;
import dev.reversible.core.AsyncAction;
import dev.reversible.core.CompositeAction;
import dev.reversible.core.RecordedSaga;
import dev.reversible.core.RollbackPolicy;
import dev.reversible.core.RollbackReport;
import dev.reversible.core.SagaJournal;
import dev.reversible.core.SagaListener;
import dev.reversible.core.SagaScope;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The engine's entry point: everything the API ({@code dev.reversible.core}) asks of the engine goes through here.
 * One instance per {@link dev.reversible.core.SagaExecutor}, holding that executor's two engines — {@code SyncEngine}
 * and {@code AsyncEngine}, which share one {@code Compensator} — plus the static entry points that belong to no
 * executor (a thread's bound scope, a step's timeout). Not API: it may change in any release.
 */
public final class Engine {

    private final SyncEngine sync;
    private final AsyncEngine async;

    /**
     * @param policy what a rollback does when a compensation fails
     * @param maxAttempts attempts per compensation, the first included
     * @param backoff the wait between two attempts
     * @param listeners the executor's listeners, in the order they were added
     * @param journal where outermost sagas are recorded, or {@code null}
     * @param access what the engine needs of the API's objects beyond their public methods
     */
    public Engine(RollbackPolicy policy, int maxAttempts, Duration backoff, List<SagaListener> listeners, SagaJournal journal,
            CoreAccess access) {
        Settings settings = new Settings(policy, maxAttempts, backoff, new Listeners(listeners), journal, access);
        Compensator compensator = new Compensator(settings);
        this.async = new AsyncEngine(settings, compensator);
        this.sync = new SyncEngine(settings, compensator, async);
    }

    /**
     * Executes an action as an outermost saga (see {@link dev.reversible.core.SagaExecutor#execute}).
     * @param action the action
     * @param <T> its result type
     * @return its result
     * @throws Exception its failure, the same instance, after rollback
     */
    public <T> T execute(Action<T> action) throws Exception {
        return sync.execute(action, null);
    }

    /**
     * Runs a composite called directly ({@link CompositeAction#forwards()}) as an outermost saga.
     * @param composite the composite
     * @param kept receives what a successful run leaves to undo, for a direct {@link CompositeAction#backwards()}
     * @param <T> its result type
     * @return its result
     * @throws Exception its failure, the same instance, after rollback
     */
    public <T> T executeDirect(CompositeAction<T> composite, Journal kept) throws Exception {
        return sync.execute(composite, kept);
    }

    /**
     * Undoes, outside any running saga, what a direct call left ({@link CompositeAction#backwards()}).
     * @param name the composite's name, as the saga's
     * @param journal what {@link #executeDirect} kept
     */
    public void rollbackDirect(String name, Journal journal) {
        sync.rollbackDirect(name, journal);
    }

    /**
     * Executes an asynchronous action as an outermost saga (see {@link dev.reversible.core.SagaExecutor#executeAsync}).
     * @param action the action
     * @param <T> its result type
     * @return a future completing after every compensation has finished
     */
    public <T> CompletableFuture<T> executeAsync(AsyncAction<T> action) {
        Objects.requireNonNull(action, "action must not be null");
        return async.execute(sync.newRun(action.name()), action);
    }

    /**
     * Rolls back a saga known from its record (see {@link dev.reversible.core.SagaExecutor#rollBack}).
     * @param saga the saga
     * @param indexes its steps' indexes, ascending
     * @param parentIndexes per step, its parent's index, or -1
     * @param actions per step, what undoes it, or {@code null} when it is compensated already
     * @return what the rollback did
     */
    public RollbackReport rollBack(RecordedSaga saga, int[] indexes, int[] parentIndexes, Object[] actions) {
        return sync.rollBack(saga, indexes, parentIndexes, actions);
    }

    /**
     * @param sagaId the id of a running outermost saga
     * @return whether it was running here and is now cancelled (see {@link dev.reversible.core.SagaExecutor#cancel})
     */
    public boolean cancel(String sagaId) {
        return sync.cancel(sagaId);
    }

    /** @return how many running sagas can be cancelled by id now (for tests: an ended saga leaves none behind) */
    public int cancellableSagas() {
        return sync.registeredSagas();
    }

    /**
     * @return the scope a step started now on this thread would join, when it belongs to a saga of this engine; else
     *     {@code null} (see {@link dev.reversible.core.SagaExecutor#currentScope})
     */
    public SagaScope currentScope() {
        SyncScope scope = ThreadScope.current();
        return scope != null && scope.run.engine() == sync ? scope : null;
    }

    /** @return the innermost scope bound to this thread, of any executor, or {@code null} */
    public static SagaScope boundScope() {
        return ThreadScope.current();
    }

    /**
     * Binds a captured scope to this thread, replacing what was bound (see {@link dev.reversible.core.SagaContext#bind}).
     * @param scope a value {@link #boundScope()} returned, or {@code null} to unbind
     * @return what was bound before
     * @throws IllegalArgumentException for a scope that did not come from {@link #boundScope()}
     */
    public static SagaScope bind(SagaScope scope) {
        if (scope != null && !(scope instanceof SyncScope)) {
            throw new IllegalArgumentException("Not a saga scope captured by SagaContext.current(): " + scope);
        }
        SyncScope previous = ThreadScope.current();
        ThreadScope.replace((SyncScope) scope);
        return previous;
    }

    /**
     * @param step an asynchronous step
     * @param timeout how long its {@code forwards} stage may take, positive
     * @param <T> its result type
     * @return the same step with that timeout (see {@link dev.reversible.core.Reversible#withTimeout})
     */
    public static <T> AsyncAction<T> withTimeout(AsyncAction<T> step, Duration timeout) {
        return new TimedAsyncAction<>(step, Timeouts.positive(timeout, "timeout"));
    }
}
