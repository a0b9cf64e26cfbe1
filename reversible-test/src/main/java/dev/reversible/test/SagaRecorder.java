package dev.reversible.test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
 * {@link #lastSaga()} says what its rollback did.
 */
public final class SagaRecorder implements SagaListener {

    /** Guarded by {@code this}; in order of start. */
    private final Map<String, Recording> recordings = new LinkedHashMap<>();
    private long ends;

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

    /** Forgets every recorded saga. */
    public synchronized void reset() {
        recordings.clear();
        ends = 0;
    }

    private String describeAll() {
        return recordings.isEmpty() ? "none" : recordings.values().stream().map(r -> r.snapshot().describe()).toList().toString();
    }

    @Override
    public synchronized void sagaStarted(SagaInfo saga) {
        recording(saga);
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
    }

    /** A saga seen first mid-way (the recorder was reset while it ran) is recorded from there on. */
    private Recording recording(SagaInfo saga) {
        return recordings.computeIfAbsent(saga.id(), id -> new Recording(saga.name(), id));
    }

    /** What is known so far of one saga; mutable, guarded by the recorder. */
    private static final class Recording {

        final String name;
        final String id;
        final List<StepRecord> steps = new ArrayList<>();
        final List<CompensationRecord> compensations = new ArrayList<>();
        SagaOutcome outcome = SagaOutcome.RUNNING;
        Throwable failure;
        RollbackReport rollback;
        long endedAs;

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
                    failure, rollback);
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
