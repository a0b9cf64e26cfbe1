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

    /**
     * Whether this listener ignores the {@code nanos} that {@code stepCompleted} and {@code stepFailed} carry. An
     * executor whose listeners all ignore them reads no clock around a step's {@code forwards}, and those events
     * carry 0: on some machines (virtual ones, whose clock is not the CPU's counter) two clock reads cost more than
     * the rest of a step. Saga and compensation durations are always measured. Return {@code true} from a listener
     * that only counts or logs its steps; the default, {@code false}, keeps every duration real (a mock of this
     * interface answers {@code false} too).
     * @return {@code false} by default
     */
    default boolean ignoresStepDurations() {
        return false;
    }

    /**
     * Whether this listener ignores the events of a step's {@code forwards}: {@code stepStarted}, {@code stepPending},
     * {@code stepCompleted} and {@code stepFailed}, in every form. The executor then never calls them on it (and
     * reads no clock for it, as if it {@linkplain #ignoresStepDurations() ignored step durations}); saga and
     * compensation events, and {@code stepUndoneByTransaction}, still reach it. Return {@code true} from a listener
     * that watches sagas and rollbacks only — a rollback log — so that a step's success path costs it nothing;
     * the default, {@code false}, hears every event (a mock of this interface answers {@code false} too).
     * @return {@code false} by default
     */
    default boolean ignoresStepEvents() {
        return false;
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

    // ---- the same step events with the step as an object --------------------------------------------------
    // The executor calls these; by default each calls its form with the step's name. Override these to keep
    // state per step (an observation, a logging context) without pairing events by name or by thread: the
    // same StepInfo object comes with every event of one step.

    /**
     * A step took its place in the saga; its forwards runs next, on this thread. By default calls
     * {@link #stepStarted(SagaInfo, String, int, int)}.
     * @param saga the outermost saga
     * @param step the step: the same object in every later event of this step
     */
    default void stepStarted(SagaInfo saga, StepInfo step) {
        stepStarted(saga, step.name(), step.index(), step.parentIndex());
    }

    /**
     * An asynchronous step's forwards returned its future; by default calls {@link #stepPending(SagaInfo, String)}.
     * @param saga the outermost saga
     * @param step the step
     */
    default void stepPending(SagaInfo saga, StepInfo step) {
        stepPending(saga, step.name());
    }

    /**
     * A step's forwards returned; by default calls {@link #stepCompleted(SagaInfo, String, long)}.
     * @param saga the outermost saga
     * @param step the step
     * @param nanos how long its forwards took
     */
    default void stepCompleted(SagaInfo saga, StepInfo step, long nanos) {
        stepCompleted(saga, step.name(), nanos);
    }

    /**
     * A step's forwards threw; by default calls {@link #stepFailed(SagaInfo, String, long, Throwable)}.
     * @param saga the outermost saga
     * @param step the step
     * @param nanos how long its forwards took
     * @param failure what it threw
     */
    default void stepFailed(SagaInfo saga, StepInfo step, long nanos, Throwable failure) {
        stepFailed(saga, step.name(), nanos, failure);
    }

    /**
     * A step's compensation is about to run its first attempt, on this thread; by default calls
     * {@link #compensationStarted(SagaInfo, String)}.
     * @param saga the outermost saga
     * @param step the step
     */
    default void compensationStarted(SagaInfo saga, StepInfo step) {
        compensationStarted(saga, step.name());
    }

    /**
     * An asynchronous compensation's first attempt returned its stage; by default calls
     * {@link #compensationPending(SagaInfo, String)}.
     * @param saga the outermost saga
     * @param step the step
     */
    default void compensationPending(SagaInfo saga, StepInfo step) {
        compensationPending(saga, step.name());
    }

    /**
     * A step's compensation succeeded; by default calls {@link #compensationSucceeded(SagaInfo, String, int, long)}.
     * @param saga the outermost saga
     * @param step the step
     * @param attempts the attempts it took
     * @param nanos how long they took, backoff included
     */
    default void compensationSucceeded(SagaInfo saga, StepInfo step, int attempts, long nanos) {
        compensationSucceeded(saga, step.name(), attempts, nanos);
    }

    /**
     * A step's compensation failed after its attempts; by default calls
     * {@link #compensationFailed(SagaInfo, String, int, long, Throwable)}.
     * @param saga the outermost saga
     * @param step the step
     * @param attempts the attempts made
     * @param nanos how long they took, backoff included
     * @param failure the last attempt's failure
     */
    default void compensationFailed(SagaInfo saga, StepInfo step, int attempts, long nanos, Throwable failure) {
        compensationFailed(saga, step.name(), attempts, nanos, failure);
    }

    /**
     * A step's work was undone by its transaction's rollback; by default calls
     * {@link #stepUndoneByTransaction(SagaInfo, String)}.
     * @param saga the outermost saga
     * @param step the step
     */
    default void stepUndoneByTransaction(SagaInfo saga, StepInfo step) {
        stepUndoneByTransaction(saga, step.name());
    }
}
