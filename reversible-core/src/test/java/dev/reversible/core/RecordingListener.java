package dev.reversible.core;

import java.util.ArrayList;
import java.util.List;

/** Records every event as a readable line, plus the reports and saga infos, for exact comparison. */
final class RecordingListener implements SagaListener {

    private final List<String> events = new ArrayList<>();
    private final List<RollbackReport> reports = new ArrayList<>();
    private final List<SagaInfo> sagas = new ArrayList<>();
    private final List<Throwable> failures = new ArrayList<>();

    synchronized List<String> events() {
        return List.copyOf(events);
    }

    synchronized List<RollbackReport> reports() {
        return List.copyOf(reports);
    }

    /** The saga info of every event, in order. */
    synchronized List<SagaInfo> sagas() {
        return List.copyOf(sagas);
    }

    /** The failures handed to stepFailed, compensationFailed and sagaFailed, in order. */
    synchronized List<Throwable> failures() {
        return List.copyOf(failures);
    }

    private synchronized void record(SagaInfo saga, String event) {
        sagas.add(saga);
        events.add(event);
    }

    @Override
    public void sagaStarted(SagaInfo saga) {
        record(saga, "sagaStarted " + saga.name());
    }

    @Override
    public void stepCompleted(SagaInfo saga, String step, long nanos) {
        record(saga, "stepCompleted " + step);
    }

    @Override
    public synchronized void stepFailed(SagaInfo saga, String step, long nanos, Throwable failure) {
        failures.add(failure);
        record(saga, "stepFailed " + step + " " + failure.getMessage());
    }

    @Override
    public void compensationSucceeded(SagaInfo saga, String step, int attempts, long nanos) {
        record(saga, "compensationSucceeded " + step + " attempts=" + attempts);
    }

    @Override
    public synchronized void compensationFailed(SagaInfo saga, String step, int attempts, long nanos, Throwable failure) {
        failures.add(failure);
        record(saga, "compensationFailed " + step + " attempts=" + attempts + " " + failure.getMessage());
    }

    @Override
    public void stepUndoneByTransaction(SagaInfo saga, String step) {
        record(saga, "stepUndoneByTransaction " + step);
    }

    @Override
    public void sagaCompleted(SagaInfo saga, long nanos) {
        record(saga, "sagaCompleted " + saga.name());
    }

    @Override
    public synchronized void sagaRolledBack(SagaInfo saga, long nanos, RollbackReport report) {
        reports.add(report);
        record(saga, "sagaRolledBack " + saga.name());
    }

    @Override
    public synchronized void sagaFailed(SagaInfo saga, long nanos, Throwable failure) {
        failures.add(failure);
        record(saga, "sagaFailed " + saga.name() + " " + failure.getMessage());
    }
}
