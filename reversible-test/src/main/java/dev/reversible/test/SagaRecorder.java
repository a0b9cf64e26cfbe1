package dev.reversible.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

import dev.reversible.core.RollbackReport;
import dev.reversible.core.SagaInfo;
import dev.reversible.core.SagaListener;

/**
 * Records every saga the application runs — its name, id and outcome, its steps in the order they
 * started, its compensations in the order they ran with their attempts and failures — from the events
 * of the starter's {@code SagaExecutor} (it is a {@link SagaListener} bean). Reset before each test by the
 * kit's {@code TestExecutionListener}; events may come from any thread.
 *
 * <pre>{@code
 * @Autowired SagaRecorder recorder;
 *
 * assertThatThrownBy(() -> orders.placeOrder(order)).isInstanceOf(ShipmentRefusedException.class);
 * SagaAssertions.assertThat(recorder.lastSaga()).wasCompensated().compensatedInOrder("bookShipment", "chargeAccount", "reserveStock");
 * }</pre>
 *
 * <p>This is also the caller's view of a rollback in a test: the business exception says what failed,
 * {@link #lastSaga()} says what its rollback did. A saga that ends on another thread (an asynchronous saga
 * nobody waits for, an {@code @Async} caller) is waited for with {@link #awaitLastSaga(Duration)}.
 */
public final class SagaRecorder implements SagaListener {

    /** Guarded by {@code this}, which every event notifies; in order of start. */
    private final Map<String, Recording> recordings = new LinkedHashMap<>();
    private final JournalReader journal;
    private long ends;

    /** A recorder for an application without a durable journal. */
    public SagaRecorder() {
        this(null);
    }

    /**
     * @param journal reads the application's durable journal for {@link RecordedSaga#journalEntry()}, or
     *     {@code null} when it has none
     */
    public SagaRecorder(JournalReader journal) {
        this.journal = journal;
    }

    /** @return every saga recorded since the last reset, in the order they started */
    public synchronized List<RecordedSaga> sagas() {
        return recordings.values().stream().map(Recording::snapshot).toList();
    }

    /**
     * @return the saga that ended last (completed, rolled back or failed)
     * @throws AssertionError when no saga has ended since the last reset
     */
    public synchronized RecordedSaga lastSaga() {
        return recordings.values().stream().filter(r -> r.endedAs > 0).max((a, b) -> Long.compare(a.endedAs, b.endedAs))
                .map(Recording::snapshot)
                .orElseThrow(() -> new AssertionError("No saga has ended since the test started; recorded: " + describeAll()));
    }

    /**
     * @param sagaName a saga's name
     * @return the saga of that name that ended last
     * @throws AssertionError when no saga of that name has ended since the last reset
     */
    public synchronized RecordedSaga lastSaga(String sagaName) {
        return recordings.values().stream().filter(r -> r.endedAs > 0 && r.name.equals(sagaName))
                .max((a, b) -> Long.compare(a.endedAs, b.endedAs))
                .map(Recording::snapshot)
                .orElseThrow(() -> new AssertionError("No saga named '" + sagaName + "' has ended since the test started; recorded: " + describeAll()));
    }

    /**
     * Waits until a saga has ended and none is running, then returns the one that ended last: for a saga that
     * ends on another thread after the call that started it returned.
     * @param timeout how long to wait at most
     * @return the saga that ended last
     * @throws AssertionError when that did not happen within the timeout, listing what was recorded
     */
    public RecordedSaga awaitLastSaga(Duration timeout) {
        await(sagas -> !sagas.isEmpty() && sagas.stream().allMatch(RecordedSaga::hasEnded), timeout,
                () -> "No saga ended, with none left running, within " + timeout + "; recorded: " + describeAll());
        return lastSaga();
    }

    /**
     * Waits until a saga of this name has ended and none of this name is running, then returns the one that ended last.
     * @param sagaName a saga's name
     * @param timeout how long to wait at most
     * @return the saga of that name that ended last
     * @throws AssertionError when that did not happen within the timeout, listing what was recorded
     */
    public RecordedSaga awaitLastSaga(String sagaName, Duration timeout) {
        await(sagas -> sagas.stream().anyMatch(s -> s.name().equals(sagaName))
                && sagas.stream().filter(s -> s.name().equals(sagaName)).allMatch(RecordedSaga::hasEnded), timeout,
                () -> "No saga named '" + sagaName + "' ended, with none of that name left running, within " + timeout + "; recorded: "
                        + describeAll());
        return lastSaga(sagaName);
    }

    /**
     * Waits, without polling, until the sagas recorded since a mark satisfy a condition.
     * @param mark how many sagas were recorded before ({@code sagas().size()} then)
     * @return the sagas recorded since the mark, or {@code null} when the timeout passed first
     */
    synchronized List<RecordedSaga> awaitSince(int mark, Predicate<List<RecordedSaga>> condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<RecordedSaga> all = sagas();
            List<RecordedSaga> since = all.subList(Math.min(mark, all.size()), all.size());
            if (condition.test(since)) {
                return since;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            try {
                // Every event notifies: this wakes up when a saga starts or ends, not on a clock.
                wait(Math.max(1, left / 1_000_000));
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }

    /** @return whether the saga ended on this thread (false while it runs, and for a saga unknown to the recorder) */
    synchronized boolean endedOnThisThread(String sagaId) {
        Recording recording = recordings.get(sagaId);
        return recording != null && recording.endedAs > 0 && recording.endingThread == Thread.currentThread();
    }

    private void await(Predicate<List<RecordedSaga>> condition, Duration timeout, Supplier<String> message) {
        if (awaitSince(0, condition, timeout) == null) {
            throw new AssertionError(message.get());
        }
    }

    /** Forgets every recorded saga. */
    public synchronized void reset() {
        recordings.clear();
        ends = 0;
        notifyAll();
    }

    private String describeAll() {
        return recordings.isEmpty() ? "none" : recordings.values().stream().map(r -> r.snapshot().describe()).toList().toString();
    }

    @Override
    public synchronized void sagaStarted(SagaInfo saga) {
        recording(saga);
        notifyAll();
    }

    @Override
    public synchronized void stepStarted(SagaInfo saga, String step, int index, int parentIndex) {
        StepRecord record = new StepRecord(step);
        record.index = index;
        record.parentIndex = parentIndex;
        recording(saga).steps.add(record);
    }

    @Override
    public synchronized void stepCompleted(SagaInfo saga, String step, long nanos) {
        recording(saga).runningStep(step).outcome = RecordedStep.Outcome.COMPLETED;
    }

    @Override
    public synchronized void stepFailed(SagaInfo saga, String step, long nanos, Throwable failure) {
        StepRecord record = recording(saga).runningStep(step);
        record.outcome = RecordedStep.Outcome.FAILED;
        record.failure = failure;
    }

    /** A recording keeps what happened and in which order, not how long it took. */
    @Override
    public boolean ignoresStepDurations() {
        return true;
    }

    @Override
    public synchronized void stepUndoneByTransaction(SagaInfo saga, String step) {
        // Rollback runs in reverse order of start: the latest such step not yet marked is this one.
        List<StepRecord> steps = recording(saga).steps;
        for (int i = steps.size() - 1; i >= 0; i--) {
            if (steps.get(i).name.equals(step) && !steps.get(i).undoneByTransaction) {
                steps.get(i).undoneByTransaction = true;
                return;
            }
        }
    }

    @Override
    public synchronized void compensationStarted(SagaInfo saga, String step) {
        recording(saga).compensations.add(new CompensationRecord(step));
    }

    @Override
    public synchronized void compensationSucceeded(SagaInfo saga, String step, int attempts, long nanos) {
        CompensationRecord record = recording(saga).runningCompensation(step);
        record.outcome = RecordedCompensation.Outcome.SUCCEEDED;
        record.attempts = attempts;
    }

    @Override
    public synchronized void compensationFailed(SagaInfo saga, String step, int attempts, long nanos, Throwable failure) {
        CompensationRecord record = recording(saga).runningCompensation(step);
        record.outcome = RecordedCompensation.Outcome.FAILED;
        record.attempts = attempts;
        record.failure = failure;
    }

    @Override
    public synchronized void sagaCompleted(SagaInfo saga, long nanos) {
        end(saga, SagaOutcome.COMPLETED, null, null);
    }

    @Override
    public synchronized void sagaRolledBack(SagaInfo saga, long nanos, RollbackReport report) {
        end(saga, report.isComplete() ? SagaOutcome.COMPENSATED : SagaOutcome.COMPENSATION_FAILED, report.failure(), report);
    }

    @Override
    public synchronized void sagaFailed(SagaInfo saga, long nanos, Throwable failure) {
        end(saga, SagaOutcome.FAILED, failure, null);
    }

    private void end(SagaInfo saga, SagaOutcome outcome, Throwable failure, RollbackReport report) {
        Recording recording = recording(saga);
        recording.outcome = outcome;
        recording.failure = failure;
        recording.rollback = report;
        recording.endedAs = ++ends;
        recording.endingThread = Thread.currentThread();
        notifyAll();
    }

    /** A saga seen first mid-way (the recorder was reset while it ran) is recorded from there on. */
    private Recording recording(SagaInfo saga) {
        return recordings.computeIfAbsent(saga.id(), id -> new Recording(saga.name(), id));
    }

    /** What is known so far of one saga; mutable, guarded by the recorder. */
    private final class Recording {

        final String name;
        final String id;
        final List<StepRecord> steps = new ArrayList<>();
        final List<CompensationRecord> compensations = new ArrayList<>();
        SagaOutcome outcome = SagaOutcome.RUNNING;
        Throwable failure;
        RollbackReport rollback;
        long endedAs;
        Thread endingThread;

        Recording(String name, String id) {
            this.name = name;
            this.id = id;
        }

        /** Steps of one name end in the order they started (asynchronous ones too, as far as a test can tell). */
        StepRecord runningStep(String step) {
            return steps.stream().filter(s -> s.name.equals(step) && s.outcome == RecordedStep.Outcome.RUNNING).findFirst()
                    .orElseGet(() -> {
                        StepRecord record = new StepRecord(step);
                        steps.add(record);
                        return record;
                    });
        }

        CompensationRecord runningCompensation(String step) {
            return compensations.stream().filter(c -> c.step.equals(step) && c.outcome == RecordedCompensation.Outcome.RUNNING).findFirst()
                    .orElseGet(() -> {
                        CompensationRecord record = new CompensationRecord(step);
                        compensations.add(record);
                        return record;
                    });
        }

        RecordedSaga snapshot() {
            return new RecordedSaga(name, id, outcome,
                    steps.stream().map(s -> new RecordedStep(s.name, s.index, s.parentIndex, s.outcome, s.failure, s.undoneByTransaction)).toList(),
                    compensations.stream().map(c -> new RecordedCompensation(c.step, c.outcome, c.attempts, c.failure)).toList(),
                    failure, rollback, journal);
        }
    }

    private static final class StepRecord {

        final String name;
        int index;
        int parentIndex = -1;
        RecordedStep.Outcome outcome = RecordedStep.Outcome.RUNNING;
        Throwable failure;
        boolean undoneByTransaction;

        StepRecord(String name) {
            this.name = name;
        }
    }

    private static final class CompensationRecord {

        final String step;
        RecordedCompensation.Outcome outcome = RecordedCompensation.Outcome.RUNNING;
        int attempts;
        Throwable failure;

        CompensationRecord(String step) {
            this.step = step;
        }
    }
}
