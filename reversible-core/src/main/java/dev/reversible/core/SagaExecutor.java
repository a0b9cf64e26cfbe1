package dev.reversible.core;

import dev.reversible.core.engine.Engine;
import dev.reversible.core.engine.Journal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Executes actions and rolls them back — live sagas, and sagas known only from their record
 * ({@link #rollBack(RecordedSaga)}) — with one engine: the same ordering, rollback policy, compensation retry,
 * events and journal records for both (which engine class holds each rule: the package {@code dev.reversible.core.engine} and {@code docs/design.md}). Immutable
 * and thread-safe; build one per configuration and share it.
 *
 * <pre>{@code
 * SagaExecutor executor = Reversible.executor()
 *     .rollbackPolicy(RollbackPolicy.CONTINUE)
 *     .compensationRetry(3, Duration.ofMillis(200))
 *     .listener(metricsListener)
 *     .build();
 * String orderId = executor.execute(placeOrder);
 * }</pre>
 *
 * <p>A composite from {@link Reversible#gen gen} or {@link Reversible#genAsync genAsync} runs under the
 * policy, retry and listeners of the executor that executes it, nested composites included.
 */
public final class SagaExecutor {

    private final RollbackPolicy rollbackPolicy;
    private final int maxAttempts;
    private final Duration backoff;
    /** Everything this executor does, it does through its engine ({@code dev.reversible.core.engine}). */
    private final Engine engine;

    private SagaExecutor(Builder builder) {
        this.rollbackPolicy = builder.rollbackPolicy;
        this.maxAttempts = builder.maxAttempts;
        this.backoff = builder.backoff;
        this.engine = new Engine(rollbackPolicy, maxAttempts, backoff, builder.listeners, builder.journal, EngineAccess.INSTANCE);
    }

    /** @return a builder with the defaults: {@link RollbackPolicy#ABORT}, one attempt per compensation, no listener */
    public static Builder builder() {
        return new Builder();
    }

    /** @return this executor's rollback policy */
    public RollbackPolicy rollbackPolicy() {
        return rollbackPolicy;
    }

    /** @return how many attempts each compensation gets, the first included */
    public int compensationMaxAttempts() {
        return maxAttempts;
    }

    /** @return the wait between two attempts of a compensation */
    public Duration compensationBackoff() {
        return backoff;
    }

    /**
     * Executes an action as a saga: returns what {@code forwards} returns; when it fails, undoes it
     * (for a composite: every completed step, in reverse order) and rethrows the same exception.
     * @param action the action, typically a composite
     * @param <T> the result type
     * @return the action's result
     * @throws Exception the action's own failure, the same instance, after rollback; or
     *     {@link CompensationFailedException} when a compensation failed too
     */
    public <T> T execute(Action<T> action) throws Exception {
        return engine.execute(action);
    }

    /**
     * Executes an asynchronous action as a saga.
     * @param action the action, typically from {@link Reversible#genAsync genAsync}
     * @param <T> the result type
     * @return a future completing with the result, or exceptionally with the original failure (or a
     *     {@link CompensationFailedException}) only after every compensation has finished
     */
    public <T> CompletableFuture<T> executeAsync(AsyncAction<T> action) {
        return engine.executeAsync(action);
    }

    /**
     * Rolls back a saga known from its record — recovered from a durable journal, or retried by an operator —
     * with the same engine as a live rollback: steps undone in reverse order of start, a step's children
     * before it (rule 14), each compensation with this executor's retry and backoff, the rollback under its
     * policy (rule 10), and every event sent to its listeners as for a live saga ({@code sagaStarted}, the
     * compensations, {@code sagaRolledBack}). Blocks until every compensation has ended.
     *
     * <pre>{@code
     * RollbackReport report = executor.rollBack(RecordedSaga.builder(id, name).step(0, -1, refund).build());
     * if (!report.isComplete()) { journal.retryLater(report.pending()); }
     * }</pre>
     * @param saga the saga and its steps, each step given as the action that undoes it
     * @return what the rollback did; {@link RollbackReport#isComplete()} says whether every compensation succeeded
     */
    public RollbackReport rollBack(RecordedSaga saga) {
        Objects.requireNonNull(saga, "saga must not be null");
        return engine.rollBack(saga, saga.indexes, saga.parentIndexes, saga.actions);
    }

    /**
     * Cancels a running saga of this executor, on whichever thread it runs: it fails with
     * {@link SagaCancelledException} at its next step boundary — where a step would start, where one has just
     * ended, or where the saga would complete — and rolls back like for any failure (its rollback rule is not
     * asked). Only a saga whose id someone has asked for (a listener, a journal, {@link SagaScope#saga()}) can be
     * found: the id is how anyone names it.
     *
     * <pre>{@code
     * if (!executor.cancel(sagaId)) { log.info("{} is not running here", sagaId); }
     * }</pre>
     * @param sagaId the id of the outermost saga ({@link SagaInfo#id()})
     * @return {@code true} when the saga was running and is now cancelled; {@code false} when no saga with that id
     *     runs here, it has already ended (or is past its last boundary), or it was cancelled already
     */
    public boolean cancel(String sagaId) {
        return engine.cancel(Objects.requireNonNull(sagaId, "sagaId must not be null"));
    }

    /**
     * The scope a step started now on this thread would join: the innermost composite body or running
     * step of a saga this executor runs on this thread (rule 14), or {@code null} when there is none —
     * no saga, a saga of another executor, or a saga suspended while one of its compensations or
     * listeners runs. A framework uses it to make an intercepted call a step of the saga in progress.
     *
     * <pre>{@code
     * SagaScope scope = executor.currentScope();
     * return scope != null ? scope.run(step) : executor.execute(step);   // joins, or is a saga of its own
     * }</pre>
     * @return the scope, or {@code null}
     */
    public SagaScope currentScope() {
        return engine.currentScope();
    }

    /** @return how many running sagas can be cancelled by id now (for tests: an ended saga leaves none behind) */
    int cancellableSagas() {
        return engine.cancellableSagas();
    }

    /** Runs a composite called directly; what it leaves to undo goes to {@code kept}. */
    <T> T executeDirect(CompositeAction<T> composite, Journal kept) throws Exception {
        return engine.executeDirect(composite, kept);
    }

    /** Undoes a journal outside any running saga (a composite's direct {@code backwards()}). */
    void rollbackDirect(String name, Journal journal) {
        engine.rollbackDirect(name, journal);
    }

    /**
     * Builds a {@link SagaExecutor}.
     *
     * <pre>{@code
     * SagaExecutor executor = Reversible.executor().compensationRetry(3, Duration.ofSeconds(1)).build();
     * }</pre>
     */
    public static final class Builder {

        private RollbackPolicy rollbackPolicy = RollbackPolicy.ABORT;
        private int maxAttempts = 1;
        private Duration backoff = Duration.ZERO;
        private final List<SagaListener> listeners = new ArrayList<>();
        private SagaJournal journal;

        private Builder() {
        }

        /**
         * @param rollbackPolicy what a rollback does when a compensation fails; default {@link RollbackPolicy#ABORT}
         * @return this builder
         */
        public Builder rollbackPolicy(RollbackPolicy rollbackPolicy) {
            this.rollbackPolicy = Objects.requireNonNull(rollbackPolicy, "rollbackPolicy must not be null");
            return this;
        }

        /**
         * Gives each compensation up to {@code maxAttempts} attempts in total, waiting {@code backoff}
         * between two, before it counts as failed.
         * @param maxAttempts at least 1 (1 means no retry)
         * @param backoff the wait between attempts, zero or positive
         * @return this builder
         */
        public Builder compensationRetry(int maxAttempts, Duration backoff) {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1 (the first attempt included), was " + maxAttempts);
            }
            Objects.requireNonNull(backoff, "backoff must not be null");
            if (backoff.isNegative()) {
                throw new IllegalArgumentException("backoff must not be negative, was " + backoff);
            }
            this.maxAttempts = maxAttempts;
            this.backoff = backoff;
            return this;
        }

        /**
         * Adds a listener; listeners receive events in the order they were added.
         * @param listener the listener
         * @return this builder
         */
        public Builder listener(SagaListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener must not be null"));
            return this;
        }

        /**
         * Records every outermost saga in a journal — every step, annotated or programmatic, every compensation
         * attempt, the saga's end — so that an integration can recover it after a crash.
         * @param journal the journal, or {@code null} for none (the default: sagas live in memory only)
         * @return this builder
         */
        public Builder journal(SagaJournal journal) {
            this.journal = journal;
            return this;
        }

        /** @return an immutable executor with this configuration */
        public SagaExecutor build() {
            return new SagaExecutor(this);
        }
    }
}
