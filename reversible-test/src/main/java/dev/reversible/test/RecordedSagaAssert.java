package dev.reversible.test;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.assertj.core.api.AbstractAssert;

/**
 * AssertJ assertions on a {@link RecordedSaga}; each failure names the saga, what was expected and what
 * happened.
 *
 * <pre>{@code
 * SagaAssertions.assertThat(recorder.lastSaga()).wasCompensated().compensatedInOrder("book", "charge", "reserve").hasNothingPending();
 * }</pre>
 */
public final class RecordedSagaAssert extends AbstractAssert<RecordedSagaAssert, RecordedSaga> {

    RecordedSagaAssert(RecordedSaga actual) {
        super(actual, RecordedSagaAssert.class);
    }

    /** Verifies that the saga returned normally. */
    public RecordedSagaAssert wasCompleted() {
        return hasOutcome(SagaOutcome.COMPLETED);
    }

    /** Verifies that the saga failed and every compensation succeeded. */
    public RecordedSagaAssert wasCompensated() {
        return hasOutcome(SagaOutcome.COMPENSATED);
    }

    /** Verifies that the saga failed and its rollback was incomplete: a compensation failed or never ran. */
    public RecordedSagaAssert hadCompensationFailure() {
        return hasOutcome(SagaOutcome.COMPENSATION_FAILED);
    }

    /** Verifies that the saga failed with an exception its rollback rule excludes (its completed steps stand). */
    public RecordedSagaAssert failedWithoutRollback() {
        return hasOutcome(SagaOutcome.FAILED);
    }

    /**
     * Verifies how the saga ended.
     * @param expected the expected outcome
     */
    public RecordedSagaAssert hasOutcome(SagaOutcome expected) {
        isNotNull();
        if (actual.outcome() != expected) {
            failWithMessage("%nExpecting saga %s to have ended %s%nbut it %s", actual.describe(), expected, ended());
        }
        return this;
    }

    /**
     * Verifies the failure that ended the saga.
     * @param type the failure's expected type (or a supertype)
     */
    public RecordedSagaAssert failedWith(Class<? extends Throwable> type) {
        isNotNull();
        if (!type.isInstance(actual.failure())) {
            failWithMessage("%nExpecting saga %s to have failed with %s%nbut it %s", actual.describe(), type.getName(), ended());
        }
        return this;
    }

    /**
     * Verifies the step whose failure started the rollback.
     * @param step the step's name
     */
    public RecordedSagaAssert failedAt(String step) {
        isNotNull();
        if (!step.equals(actual.failedStep())) {
            failWithMessage("%nExpecting saga %s to have failed at step '%s'%nbut %s", actual.describe(), step,
                    actual.rollback() == null ? "it was not rolled back" : actual.failedStep() == null
                            ? "its body failed outside any step" : "it failed at step '" + actual.failedStep() + "'");
        }
        return this;
    }

    /**
     * Verifies the saga's steps, exactly and in the order they started.
     * @param steps the expected step names
     */
    public RecordedSagaAssert stepsInOrder(String... steps) {
        return exactly("steps, in order of start,", Arrays.asList(steps), checked().stepNames());
    }

    /**
     * Verifies which steps were compensated successfully, exactly and in the order their compensations ran
     * (a failed step's own compensation included).
     * @param steps the expected step names
     */
    public RecordedSagaAssert compensatedInOrder(String... steps) {
        return exactly("compensated steps, in order of compensation,", Arrays.asList(steps), checked().compensatedSteps());
    }

    /**
     * Verifies which steps' compensations failed on every attempt, exactly and in order.
     * @param steps the expected step names
     */
    public RecordedSagaAssert compensationsFailed(String... steps) {
        return exactly("failed compensations", Arrays.asList(steps), checked().failedCompensations());
    }

    /**
     * Verifies which steps were undone by their transaction's rollback instead of a compensation, exactly.
     * @param steps the expected step names, in order of start
     */
    public RecordedSagaAssert undoneByTransaction(String... steps) {
        return exactly("steps undone by their transaction", Arrays.asList(steps), checked().undoneByTransaction());
    }

    /** Verifies that the rollback left no step un-compensated. */
    public RecordedSagaAssert hasNothingPending() {
        return exactly("pending steps (left un-compensated)", List.of(), checked().pending());
    }

    /**
     * Verifies which steps the rollback left un-compensated, exactly and in rollback order.
     * @param steps the expected step names
     */
    public RecordedSagaAssert hasPending(String... steps) {
        return exactly("pending steps (left un-compensated)", Arrays.asList(steps), checked().pending());
    }

    /**
     * Verifies that the saga is {@code STUCK} in the durable journal: its rollback was incomplete and the
     * journal's persistent retries are spent ({@code reversible.jdbc.retry.max-attempts=0}: at once), so it
     * waits for an operator. Reads the journal now.
     */
    public RecordedSagaAssert isStuck() {
        return hasJournalStatus("STUCK");
    }

    /**
     * Verifies the saga's status in the durable journal, read now.
     * @param status the expected status: {@code RUNNING}, {@code COMPENSATING}, {@code COMPENSATED}, {@code STUCK},
     *     {@code RESOLVED}, {@code COMPLETED} or {@code FAILED}
     */
    public RecordedSagaAssert hasJournalStatus(String status) {
        isNotNull();
        if (!actual.hasJournal()) {
            failWithMessage("%nExpecting saga %s to be %s in the durable journal%nbut the application has no journal: put reversible-jdbc "
                    + "on the test class path, with a DataSource, and leave reversible.jdbc.enabled on", actual.describe(), status);
        }
        Optional<JournalEntry> entry = actual.journalEntry();
        if (entry.isEmpty()) {
            failWithMessage("%nExpecting saga %s to be %s in the durable journal%nbut the journal has no saga with id %s (a saga that "
                    + "completed is deleted with reversible.jdbc.completed=delete, one whose first step failed is never written)",
                    actual.describe(), status, actual.id());
        }
        else if (!entry.get().status().equals(status)) {
            failWithMessage("%nExpecting saga %s to be %s in the durable journal%nbut it is %s", actual.describe(), status,
                    entry.get().describe());
        }
        return this;
    }

    /**
     * Moves on to the one step of this name, to check its place among the steps (rule 14).
     * @param step the step's name
     * @return assertions on that step
     */
    public RecordedStepAssert step(String step) {
        isNotNull();
        List<RecordedStep> found = actual.steps().stream().filter(s -> s.name().equals(step)).toList();
        if (found.size() != 1) {
            failWithMessage("%nExpecting saga %s to have one step '%s'%nbut it had %d", actual.describe(), step, found.size());
        }
        return new RecordedStepAssert(actual, found.get(0));
    }

    /**
     * Moves on to the one compensation of a step.
     * @param step the step's name
     * @return assertions on its compensation
     */
    public RecordedCompensationAssert compensationOf(String step) {
        isNotNull();
        List<RecordedCompensation> found = actual.compensations().stream().filter(c -> c.step().equals(step)).toList();
        if (found.size() != 1) {
            failWithMessage("%nExpecting saga %s to have one compensation of step '%s'%nbut it had %d; its compensations: %s", actual.describe(),
                    step, found.size(), describe(actual.compensations()));
        }
        return new RecordedCompensationAssert(found.get(0)).describedAs("compensation of '%s' in saga %s", step, actual.describe());
    }

    private RecordedSaga checked() {
        isNotNull();
        return actual;
    }

    private RecordedSagaAssert exactly(String what, List<String> expected, List<String> found) {
        if (!expected.equals(found)) {
            failWithMessage("%nExpecting saga %s to have %s:%n  %s%nbut had:%n  %s", actual.describe(), what, expected, found);
        }
        return this;
    }

    private String ended() {
        String failure = actual.failure() == null ? "" : " with " + actual.failure();
        return switch (actual.outcome()) {
            case RUNNING -> "has not ended";
            case COMPLETED -> "completed";
            case COMPENSATED -> "was compensated" + failure;
            case COMPENSATION_FAILED -> "had compensation failures " + actual.failedCompensations() + ", pending " + actual.pending() + failure;
            case FAILED -> "failed without rollback" + failure;
        };
    }

    static String describe(List<RecordedCompensation> compensations) {
        return compensations.stream().map(RecordedCompensationAssert::describe).toList().toString();
    }
}
