package dev.reversible.test;

import java.util.List;
import java.util.Optional;

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
 * @param journal reads the saga's entry in the application's durable journal, or {@code null} when it has none
 */
public record RecordedSaga(String name, String id, SagaOutcome outcome, List<RecordedStep> steps, List<RecordedCompensation> compensations,
        Throwable failure, RollbackReport rollback, JournalReader journal) {

    /** Copies the lists. */
    public RecordedSaga {
        steps = List.copyOf(steps);
        compensations = List.copyOf(compensations);
    }

    /** @return whether it has ended: completed, rolled back or failed */
    public boolean hasEnded() {
        return outcome != SagaOutcome.RUNNING;
    }

    /** @return the names of its steps, in the order they started */
    public List<String> stepNames() {
        return steps.stream().map(RecordedStep::name).toList();
    }

    /**
     * @param step one of its steps
     * @return the step whose {@code forwards} started it (rule 14), or empty for a top-level step
     */
    public Optional<RecordedStep> parentOf(RecordedStep step) {
        return step.isTopLevel() ? Optional.empty() : steps.stream().filter(s -> s.index() == step.parentIndex()).findFirst();
    }

    /**
     * @param step one of its steps
     * @return the steps its {@code forwards} started, in the order they started
     */
    public List<RecordedStep> childrenOf(RecordedStep step) {
        return steps.stream().filter(s -> s.parentIndex() == step.index() && s != step).toList();
    }

    /** @return whether the application journals its sagas ({@code reversible-jdbc}), so that {@link #journalEntry()} can read it */
    public boolean hasJournal() {
        return journal != null;
    }

    /**
     * Reads the saga's entry in the durable journal now: after an incomplete rollback, {@code COMPENSATING} while
     * persistent retries remain, {@code STUCK} once they are spent ({@code reversible.jdbc.retry.max-attempts=0}:
     * at once).
     * @return the entry, or empty when the journal has no such saga (a completed one is deleted by default)
     * @throws IllegalStateException when the application has no journal
     */
    public Optional<JournalEntry> journalEntry() {
        if (journal == null) {
            throw new IllegalStateException("Saga " + describe() + " cannot be looked up in a journal: the application has none "
                    + "(reversible-jdbc on the class path, a DataSource and reversible.jdbc.enabled not false make one)");
        }
        return journal.find(id);
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
