package dev.reversible.core.engine;

import dev.reversible.core.Action;
import dev.reversible.core.AsyncAction;
import dev.reversible.core.AttemptAwareAction;
import dev.reversible.core.RecordedSaga;
import dev.reversible.core.SagaInfo;
import dev.reversible.core.SagaRecord;
import dev.reversible.core.SagaStep;
import dev.reversible.core.StepInfo;
import dev.reversible.core.StepTimeoutException;

import java.lang.System.Logger.Level;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A step with its place in the saga: the {@link StepInfo} that the saga's {@link SagaRecord} and its listeners
 * see, the same object from the step's start to its last compensation attempt — whatever the step is (an
 * integration's annotated call, a lambda, a user's class). The engine runs this wrapper in the step's place
 * only when someone needs it: when the executor has a journal, or when it has listeners and the step is not a
 * {@code StepInfo} itself (an integration's own step object may be one, and is then used as it is). A saga with
 * neither runs its steps unwrapped.
 */
abstract class PlacedStep implements SagaStep, StepInfo {

    /** The record of a saga that is only listened to: records nothing, runs each attempt as it is. */
    static final SagaRecord NO_RECORD = new SagaRecord() {
        @Override
        public void stepStarted(StepInfo step) {
        }

        @Override
        public String toString() {
            return "no record";
        }
    };

    private static final System.Logger LOG = System.getLogger(SagaRecord.class.getName());

    final SagaRecord record;
    final Object action;
    private volatile SagaInfo saga;
    private volatile int index;
    private volatile int parentIndex = -1;
    /**
     * Listeners keep what they started for a step in maps keyed by the step object itself: an identity hash
     * code, made by the JVM on first use, was a visible part of a step's cost. Equality stays identity
     * ({@code Object.equals}), with which a hash fixed at construction agrees.
     */
    private final int hash = ThreadLocalRandom.current().nextInt();

    PlacedStep(SagaRecord record, Object action) {
        this.record = record;
        this.action = action;
    }

    /** A step already placed: one known from its record ({@link RecordedSaga}), or one met outside its saga. */
    final PlacedStep at(SagaInfo saga, int index, int parentIndex) {
        this.saga = saga;
        this.index = index;
        this.parentIndex = parentIndex;
        return this;
    }

    /** @return {@code leaf} as a {@code StepInfo}: itself when it is one, else wrapped with the given place */
    @SuppressWarnings({ "unchecked", "rawtypes" })
    static StepInfo of(Object leaf, SagaInfo saga, int index, int parentIndex) {
        if (leaf instanceof StepInfo info) {
            return info;
        }
        PlacedStep placed = leaf instanceof AsyncAction<?> async ? new Async(NO_RECORD, async, null) : new Sync(NO_RECORD, (Action) leaf);
        return placed.at(saga, index, parentIndex);
    }

    /** Takes the place, tells the wrapped step, then the record: a record that refuses stops the step here. */
    @Override
    public final void started(SagaInfo saga, int index, int parentIndex) {
        this.saga = saga;
        this.index = index;
        this.parentIndex = parentIndex;
        if (action instanceof SagaStep step) {
            step.started(saga, index, parentIndex);
        }
        record.stepStarted(this);
    }

    @Override
    public final boolean undoneByTransaction() {
        boolean undone = action instanceof SagaStep step && step.undoneByTransaction();
        if (undone) {
            try {
                record.stepUndoneByTransaction(this);
            } catch (Throwable e) {
                ignored("stepUndoneByTransaction", e);
            }
        }
        return undone;
    }

    /** Tells the wrapped step, which may be a framework's, that it timed out before it is compensated. */
    @Override
    public final void timedOut(StepTimeoutException timeout) {
        if (action instanceof SagaStep step) {
            step.timedOut(timeout);
        }
    }

    final void ended(Object result, Throwable failure) {
        try {
            record.stepEnded(this, result, failure);
        } catch (Throwable e) {
            ignored("stepEnded", e);
        }
    }

    final void compensated(int attempt, Throwable failure) {
        try {
            if (failure == null) {
                record.compensationSucceeded(this, attempt);
            } else {
                record.compensationFailed(this, attempt, failure);
            }
        } catch (Throwable e) {
            ignored(failure == null ? "compensationSucceeded" : "compensationFailed", e);
        }
    }

    private void ignored(String event, Throwable failure) {
        LOG.log(Level.WARNING, "Saga record " + record + " failed on " + event + " of " + this + "; ignored (rule 11)", failure);
    }

    @Override
    public final SagaInfo saga() {
        return saga;
    }

    @Override
    public final String name() {
        return Names.ofStep(action);
    }

    @Override
    public final int index() {
        return index;
    }

    @Override
    public final int parentIndex() {
        return parentIndex;
    }

    @Override
    public final Object action() {
        return action;
    }

    @Override
    public String toString() {
        return "step " + name() + " #" + index + " of " + saga;
    }

    /** A synchronous step with its record. */
    static final class Sync<T> extends PlacedStep implements AttemptAwareAction<T> {

        private final Action<T> step;
        private final boolean attemptAware;

        Sync(SagaRecord record, Action<T> step) {
            super(record, step);
            this.step = step;
            this.attemptAware = step instanceof AttemptAwareAction;
        }

        @Override
        public T forwards() throws Exception {
            T result;
            try {
                result = step.forwards();
            } catch (Throwable failure) {
                ended(null, failure);
                throw Sneaky.<Exception>rethrow(failure);
            }
            ended(result, null);
            return result;
        }

        @Override
        public void backwards(int attempt) throws Exception {
            try {
                record.compensate(this, attempt, () -> {
                    if (attemptAware) {
                        ((AttemptAwareAction<T>) step).backwards(attempt);
                    } else {
                        step.backwards();
                    }
                    return null;
                });
            } catch (Throwable failure) {
                compensated(attempt, failure);
                throw Sneaky.<Exception>rethrow(failure);
            }
            compensated(attempt, null);
        }
    }

    /** An asynchronous step with its record: its end and its compensations' outcomes are when their stages complete. */
    static final class Async<T> extends PlacedStep implements AsyncAction<T> {

        private final AsyncAction<T> step;
        /** Its saga's deadline, or {@code null}: it bounds the step's stage as its own timeout does. */
        private final Deadline deadline;

        Async(SagaRecord record, AsyncAction<T> step, Deadline deadline) {
            super(record, step);
            this.step = step;
            this.deadline = deadline;
        }

        @Override
        public CompletionStage<T> forwards() {
            CompletionStage<T> forwards;
            try {
                // Bounded here, inside the record's view: a step that timed out is recorded as such, and a value
                // it completes with later is never recorded.
                forwards = Timeouts.bound(deadline, saga(), this, step.forwards());
            } catch (Throwable failure) {
                ended(null, failure);
                throw failure;
            }
            if (forwards == null) {
                ended(null, null);
                return null;
            }
            return forwards.whenComplete((result, thrown) -> ended(result, thrown == null ? null : Futures.unwrap(thrown)));
        }

        @Override
        public java.time.Duration timeout() {
            return step.timeout();
        }

        @Override
        public CompletionStage<?> backwards() {
            return backwards(1);
        }

        @Override
        public CompletionStage<?> backwards(int attempt) {
            CompletionStage<?> undoing;
            try {
                undoing = record.compensate(this, attempt, () -> step.backwards(attempt));
            } catch (Throwable failure) {
                compensated(attempt, failure);
                return CompletableFuture.failedFuture(failure);
            }
            if (undoing == null) {
                compensated(attempt, null);
                return null;
            }
            return undoing.whenComplete((ignored, thrown) -> compensated(attempt, thrown == null ? null : Futures.unwrap(thrown)));
        }
    }

    @Override
    public final int hashCode() {
        return hash;
    }
}
