package dev.reversible.test;

import java.util.List;

import dev.reversible.core.RollbackReport;

/**
 * One saga the application ran, as the {@link SagaRecorder} saw it at the moment it was asked: an
 * immutable snapshot.
 *
 * <pre>{@code
 * RecordedSaga saga = recorder.lastSaga();
 * saga.stepNames();          // [reserveStock, chargeAccount, bookShipment]
 * saga.compensatedSteps();   // [bookShipment, chargeAccount, reserveStock]
 * }</pre>
 *
 * @param name the saga's name
 * @param id the saga's id
 * @param outcome how it ended, as far as it has
 * @param steps its steps, in the order they started
 * @param compensations its compensations, in the order they started
 * @param failure the failure that ended it, or {@code null} when it completed or still runs
 * @param rollback what its rollback did, or {@code null} when it was not rolled back
 */
public record RecordedSaga(String name, String id, SagaOutcome outcome, List<RecordedStep> steps, List<RecordedCompensation> compensations,
        Throwable failure, RollbackReport rollback) {

    /** Copies the lists. */
    public RecordedSaga {
        steps = List.copyOf(steps);
        compensations = List.copyOf(compensations);
    }

    /** @return the names of its steps, in the order they started */
    public List<String> stepNames() {
        return steps.stream().map(RecordedStep::name).toList();
    }

    /** @return the names of the steps whose compensation succeeded, in the order the compensations ran */
    public List<String> compensatedSteps() {
        return compensationsWith(RecordedCompensation.Outcome.SUCCEEDED);
    }

    /** @return the names of the steps whose compensation failed on every attempt, in the order they ran */
    public List<String> failedCompensations() {
        return compensationsWith(RecordedCompensation.Outcome.FAILED);
    }

    /** @return the names of the steps left un-compensated by its rollback, in rollback order (empty without one) */
    public List<String> pending() {
        return rollback == null ? List.of() : rollback.pending();
    }

    /** @return the names of the steps undone by their transaction's rollback instead of a compensation */
    public List<String> undoneByTransaction() {
        return steps.stream().filter(RecordedStep::undoneByTransaction).map(RecordedStep::name).toList();
    }

    /** @return the step whose failure started the rollback, or {@code null} (no rollback, or the body failed outside a step) */
    public String failedStep() {
        return rollback == null ? null : rollback.failedStep();
    }

    private List<String> compensationsWith(RecordedCompensation.Outcome outcome) {
        return compensations.stream().filter(c -> c.outcome() == outcome).map(RecordedCompensation::step).toList();
    }

    /** @return a one-line description, for failure messages */
    public String describe() {
        return name + " (" + id + ", " + outcome + ", steps " + stepNames() + ")";
    }
}
