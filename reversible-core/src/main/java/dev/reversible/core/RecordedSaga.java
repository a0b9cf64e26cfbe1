package dev.reversible.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A saga known from its record rather than run by this executor — one recovered from a durable journal
 * after its instance stopped, or one an operator retries — given to {@link SagaExecutor#rollBack(RecordedSaga)}
 * to be rolled back by the same engine code as a live saga: the same order (a step's children before the
 * step, latest first: rule 14), the same policy and compensation retry, the same events and the same report.
 *
 * <p>An integration only turns each stored step back into an action whose {@code backwards} undoes it
 * (an {@link AttemptAwareAction} learns the attempt; a {@link SagaStep} may say its transaction already
 * undid it). Steps are added with the index and parent they were recorded with; the order of the calls does
 * not matter.
 *
 * <pre>{@code
 * RecordedSaga saga = RecordedSaga.builder(stored.id(), stored.name())
 *     .failure(new SagaRecoveredException("recovered"), stored.failedStep())
 *     .step(0, -1, refund)                 // undone last
 *     .step(1, 0, releaseStock)            // a child of step 0: undone before it
 *     .compensatedStep(2, -1, "ship")      // already undone before the crash: keeps its place, runs nothing
 *     .build();
 * RollbackReport report = executor.rollBack(saga);
 * }</pre>
 */
public final class RecordedSaga implements SagaInfo {

    private final String id;
    private final String name;
    private final Throwable failure;
    private final String failedStep;
    // The steps in order of index, as the engine lays them out (SagaExecutor hands them over): per step its index,
    // its parent's index (or -1), and its action (or null when it is compensated already).
    final int[] indexes;
    final int[] parentIndexes;
    final Object[] actions;

    private RecordedSaga(Builder builder) {
        this.id = builder.id;
        this.name = builder.name;
        this.failure = builder.failure;
        this.failedStep = builder.failedStep;
        List<Recorded> ordered = new ArrayList<>(builder.steps);
        ordered.sort((a, b) -> Integer.compare(a.index, b.index));
        int size = ordered.size();
        this.indexes = new int[size];
        this.parentIndexes = new int[size];
        this.actions = new Object[size];
        for (int i = 0; i < size; i++) {
            Recorded step = ordered.get(i);
            indexes[i] = step.index;
            parentIndexes[i] = step.parentIndex;
            actions[i] = step.action;
        }
    }

    /**
     * @param id the saga's recorded id: its events and compensations see it
     * @param name the saga's recorded name
     * @return a builder of a recorded saga with no step yet
     */
    public static Builder builder(String id, String name) {
        return new Builder(id, name);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String name() {
        return name;
    }

    /** @return the failure the rollback is for: the report's and the exception's cause */
    public Throwable failure() {
        return failure;
    }

    /** @return the name of the step whose failure ended the saga, or {@code null} */
    public String failedStep() {
        return failedStep;
    }

    /** @return how many steps were recorded, compensated ones included */
    public int size() {
        return indexes.length;
    }

    @Override
    public String toString() {
        return "recorded saga " + name + " (" + id + ")";
    }

    /** One recorded step: its place, and its action, or {@code null} when it is compensated already. */
    private record Recorded(int index, int parentIndex, Object action) {
    }

    /** Builds a {@link RecordedSaga}. */
    public static final class Builder {

        private final String id;
        private final String name;
        private Throwable failure;
        private String failedStep;
        private final List<Recorded> steps = new ArrayList<>();
        private final java.util.Set<Integer> indexes = new java.util.HashSet<>();

        private Builder(String id, String name) {
            this.id = Objects.requireNonNull(id, "id must not be null");
            this.name = Objects.requireNonNull(name, "name must not be null");
        }

        /**
         * @param failure why the saga is rolled back (for a recovered saga: that its instance stopped)
         * @param failedStep the name of the step whose failure ended it, or {@code null}
         * @return this builder
         */
        public Builder failure(Throwable failure, String failedStep) {
            this.failure = Objects.requireNonNull(failure, "failure must not be null");
            this.failedStep = failedStep;
            return this;
        }

        /**
         * Adds a step to compensate.
         * @param index its recorded index, from 0, in the order the saga's steps started
         * @param parentIndex the index of the step whose {@code forwards} started it, or -1
         * @param action what undoes it: an {@link Action} or an {@link AsyncAction}
         * @return this builder
         */
        public Builder step(int index, int parentIndex, Action<?> action) {
            return add(index, parentIndex, Objects.requireNonNull(action, "action must not be null"));
        }

        /**
         * Adds an asynchronous step to compensate.
         * @param index its recorded index
         * @param parentIndex its parent's index, or -1
         * @param action what undoes it
         * @return this builder
         */
        public Builder step(int index, int parentIndex, AsyncAction<?> action) {
            return add(index, parentIndex, Objects.requireNonNull(action, "action must not be null"));
        }

        /**
         * Adds a step whose compensation already ran: it runs nothing, and keeps its place only so that its
         * children are still undone in their order.
         * @param index its recorded index
         * @param parentIndex its parent's index, or -1
         * @return this builder
         */
        public Builder compensatedStep(int index, int parentIndex) {
            return add(index, parentIndex, null);
        }

        private Builder add(int index, int parentIndex, Object action) {
            if (index < 0) {
                throw new IllegalArgumentException("A step's index is 0 or more, was " + index);
            }
            if (parentIndex >= index) {
                throw new IllegalArgumentException("Step " + index + " cannot have step " + parentIndex
                        + " as its parent: a parent starts before its children");
            }
            if (!indexes.add(index)) {
                throw new IllegalArgumentException("Step " + index + " of saga " + name + " (" + id + ") was added twice");
            }
            steps.add(new Recorded(index, Math.max(parentIndex, -1), action));
            return this;
        }

        /** @return the recorded saga; without {@link #failure}, its failure says it was rolled back from its record */
        public RecordedSaga build() {
            if (failure == null) {
                failure = new IllegalStateException("Saga " + name + " (" + id + ") rolled back from its record");
            }
            return new RecordedSaga(this);
        }
    }
}
