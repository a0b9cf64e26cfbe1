package dev.reversible.core;

/**
 * Receives what an executor does, for metrics, logs and dashboards. Every method has a no-op
 * default; a listener that throws is logged and ignored — it never changes a saga's outcome. A listener
 * runs with the saga suspended: a step it starts is a saga of its own, never a step of the observed one.
 *
 * <p>Durations are in nanoseconds (a {@code long}, so that listening allocates nothing per step).
 * Step events are sent for leaf steps only; a nested composite is visible through its steps.
 *
 * <pre>{@code
 * SagaExecutor executor = Reversible.executor()
 *     .listener(new SagaListener() {
 *         public void compensationFailed(SagaInfo saga, String step, int attempts, long nanos, Throwable failure) {
 *             alerts.page(saga.id() + ": could not undo " + step);
 *         }
 *     })
 *     .build();
 * }</pre>
 */
public interface SagaListener {

    /** An outermost saga (or a single action executed on its own) started. */
    default void sagaStarted(SagaInfo saga) {
    }

    /**
     * A step took its place in the saga; its forwards runs next, on this thread (for an asynchronous step:
     * its forwards is called next, its future may complete elsewhere).
     */
    default void stepStarted(SagaInfo saga, String step) {
    }

    /**
     * The same event with the step's place in the saga (rule 14): the executor calls this one, which by
     * default calls {@link #stepStarted(SagaInfo, String)}; override it to record parents and children.
     * @param index the step's index, from 0, in the order the steps of the outermost saga started
     * @param parentIndex the index of the step whose {@code forwards} started this one, or -1
     */
    default void stepStarted(SagaInfo saga, String step, int index, int parentIndex) {
        stepStarted(saga, step);
    }

    /**
     * An asynchronous step's forwards returned its future: the step runs on without this thread, and ends
     * (completed or failed) later, possibly on another thread. A listener unbinds here what it bound to this
     * thread for the step (a logging context, a tracing scope).
     */
    default void stepPending(SagaInfo saga, String step) {
    }

    /** A step's forwards returned. */
    default void stepCompleted(SagaInfo saga, String step, long nanos) {
    }

    /** A step's forwards threw; its own compensation follows. */
    default void stepFailed(SagaInfo saga, String step, long nanos, Throwable failure) {
    }

    /** A step's compensation is about to run its first attempt, on this thread. */
    default void compensationStarted(SagaInfo saga, String step) {
    }

    /**
     * An asynchronous compensation's first attempt returned its stage: the compensation runs on without this
     * thread, and ends later, possibly on another thread. A listener unbinds here what it bound to this
     * thread for the compensation.
     */
    default void compensationPending(SagaInfo saga, String step) {
    }

    /**
     * A compensation succeeded.
     * @param attempts how many attempts it took (1 for the first)
     */
    default void compensationSucceeded(SagaInfo saga, String step, int attempts, long nanos) {
    }

    /**
     * A compensation failed on every attempt; {@code failure} is the last attempt's exception.
     * @param attempts how many attempts were made
     */
    default void compensationFailed(SagaInfo saga, String step, int attempts, long nanos, Throwable failure) {
    }

    /**
     * A step was not compensated because its work was undone by the rollback of a database transaction
     * it had joined: its compensation would undo that work a second time.
     */
    default void stepUndoneByTransaction(SagaInfo saga, String step) {
    }

    /**
     * An asynchronous saga's body returned its future to the caller: the saga runs on without this thread,
     * and ends later, possibly on another thread. A listener unbinds here what it bound to this thread for
     * the saga.
     */
    default void sagaPending(SagaInfo saga) {
    }

    /** The saga returned normally; its steps stand. */
    default void sagaCompleted(SagaInfo saga, long nanos) {
    }

    /** The saga failed and was rolled back, completely or not ({@link RollbackReport#isComplete()}). */
    default void sagaRolledBack(SagaInfo saga, long nanos, RollbackReport report) {
    }

    /**
     * The saga failed with an exception its rollback rule excludes: its completed steps stand (a step
     * that failed was still undone itself).
     */
    default void sagaFailed(SagaInfo saga, long nanos, Throwable failure) {
    }
}
