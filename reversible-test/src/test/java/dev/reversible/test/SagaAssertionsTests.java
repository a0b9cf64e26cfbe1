package dev.reversible.test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.reversible.core.RollbackReport;
import dev.reversible.core.SagaInfo;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each assertion passes when it should, and fails with a message naming the saga, the expectation and what happened. */
class SagaAssertionsTests {

    private static final String NL = System.lineSeparator();

    record Info(String name, String id) implements SagaInfo {
    }

    private final Info info = new Info("Shop.placeOrder", "saga-1");
    private final IllegalStateException carrierDown = new IllegalStateException("carrier down");
    private final IllegalStateException bankDown = new IllegalStateException("bank down");

    /** reserve, charge completed; book failed; book and charge compensated (charge in 2 attempts), reserve too. */
    private RecordedSaga compensated() {
        SagaRecorder recorder = new SagaRecorder();
        recorder.sagaStarted(info);
        completeSteps(recorder, "reserve", "charge");
        recorder.stepStarted(info, "book");
        recorder.stepFailed(info, "book", 1, carrierDown);
        compensate(recorder, "book", 1);
        compensate(recorder, "charge", 2);
        compensate(recorder, "reserve", 1);
        recorder.sagaRolledBack(info, 1, new RollbackReport("book", carrierDown, List.of("book", "charge", "reserve"), List.of(), List.of()));
        return recorder.lastSaga();
    }

    /** As above, but the refund failed on 3 attempts under ABORT: charge and reserve are pending. */
    private RecordedSaga compensationFailed() {
        SagaRecorder recorder = new SagaRecorder();
        recorder.sagaStarted(info);
        completeSteps(recorder, "reserve", "charge");
        recorder.stepStarted(info, "book");
        recorder.stepFailed(info, "book", 1, carrierDown);
        compensate(recorder, "book", 1);
        recorder.compensationStarted(info, "charge");
        recorder.compensationFailed(info, "charge", 3, 1, bankDown);
        recorder.sagaRolledBack(info, 1, new RollbackReport("book", carrierDown, List.of("book"), List.of("charge"), List.of("charge", "reserve")));
        return recorder.lastSaga();
    }

    private RecordedSaga completed() {
        SagaRecorder recorder = new SagaRecorder();
        recorder.sagaStarted(info);
        completeSteps(recorder, "reserve", "charge", "book");
        recorder.sagaCompleted(info, 1);
        return recorder.lastSaga();
    }

    private void completeSteps(SagaRecorder recorder, String... steps) {
        for (String step : steps) {
            recorder.stepStarted(info, step);
            recorder.stepCompleted(info, step, 1);
        }
    }

    private void compensate(SagaRecorder recorder, String step, int attempts) {
        recorder.compensationStarted(info, step);
        recorder.compensationSucceeded(info, step, attempts, 1);
    }

    @Test
    void compensatedSagaPassesEveryAssertionThatHolds() {
        SagaAssertions.assertThat(compensated()).wasCompensated().failedAt("book").failedWith(IllegalStateException.class)
                .stepsInOrder("reserve", "charge", "book").compensatedInOrder("book", "charge", "reserve").hasNothingPending()
                .undoneByTransaction().compensationsFailed().compensationOf("charge").succeeded().tookAttempts(2);
    }

    @Test
    void wasCompensatedOnACompletedSagaNamesTheSagaAndWhatHappened() {
        assertThatThrownBy(() -> SagaAssertions.assertThat(completed()).wasCompensated()).isInstanceOf(AssertionError.class)
                .hasMessage(NL + "Expecting saga Shop.placeOrder (saga-1, COMPLETED, steps [reserve, charge, book]) to have ended COMPENSATED"
                        + NL + "but it completed");
    }

    @Test
    void wasCompletedOnACompensatedSagaSaysWithWhichFailure() {
        assertThatThrownBy(() -> SagaAssertions.assertThat(compensated()).wasCompleted()).isInstanceOf(AssertionError.class)
                .hasMessageContaining("to have ended COMPLETED" + NL + "but it was compensated with java.lang.IllegalStateException: carrier down");
    }

    @Test
    void wasCompensatedOnAnIncompleteRollbackNamesTheFailedAndPendingCompensations() {
        assertThatThrownBy(() -> SagaAssertions.assertThat(compensationFailed()).wasCompensated()).isInstanceOf(AssertionError.class)
                .hasMessageContaining("COMPENSATION_FAILED, steps [reserve, charge, book]) to have ended COMPENSATED" + NL
                        + "but it had compensation failures [charge], pending [charge, reserve] with java.lang.IllegalStateException: carrier down");
    }

    @Test
    void compensatedInOrderShowsExpectedAndActualOrder() {
        assertThatThrownBy(() -> SagaAssertions.assertThat(compensated()).compensatedInOrder("reserve", "charge", "book"))
                .isInstanceOf(AssertionError.class)
                .hasMessageEndingWith("to have compensated steps, in order of compensation,:" + NL + "  [reserve, charge, book]" + NL
                        + "but had:" + NL + "  [book, charge, reserve]");
    }

    @Test
    void stepsInOrderShowsExpectedAndActualSteps() {
        assertThatThrownBy(() -> SagaAssertions.assertThat(completed()).stepsInOrder("reserve", "book")).isInstanceOf(AssertionError.class)
                .hasMessageEndingWith("to have steps, in order of start,:" + NL + "  [reserve, book]" + NL + "but had:" + NL
                        + "  [reserve, charge, book]");
    }

    @Test
    void hasNothingPendingNamesThePendingSteps() {
        assertThatThrownBy(() -> SagaAssertions.assertThat(compensationFailed()).hasNothingPending()).isInstanceOf(AssertionError.class)
                .hasMessageEndingWith("to have pending steps (left un-compensated):" + NL + "  []" + NL + "but had:" + NL + "  [charge, reserve]");
    }

    @Test
    void failedAtNamesTheStepThatReallyFailed() {
        assertThatThrownBy(() -> SagaAssertions.assertThat(compensated()).failedAt("charge")).isInstanceOf(AssertionError.class)
                .hasMessageEndingWith("to have failed at step 'charge'" + NL + "but it failed at step 'book'");
        assertThatThrownBy(() -> SagaAssertions.assertThat(completed()).failedAt("charge")).isInstanceOf(AssertionError.class)
                .hasMessageEndingWith("but it was not rolled back");
    }

    @Test
    void failedWithNamesTheExpectedTypeAndTheActualFailure() {
        assertThatThrownBy(() -> SagaAssertions.assertThat(compensated()).failedWith(IllegalArgumentException.class))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("to have failed with java.lang.IllegalArgumentException" + NL
                        + "but it was compensated with java.lang.IllegalStateException: carrier down");
    }

    @Test
    void undoneByTransactionShowsExpectedAndActualSteps() {
        assertThatThrownBy(() -> SagaAssertions.assertThat(compensated()).undoneByTransaction("charge")).isInstanceOf(AssertionError.class)
                .hasMessageEndingWith("to have steps undone by their transaction:" + NL + "  [charge]" + NL + "but had:" + NL + "  []");
    }

    @Test
    void tookAttemptsNamesTheCompensationAndItsAttempts() {
        assertThatThrownBy(() -> SagaAssertions.assertThat(compensated()).compensationOf("charge").tookAttempts(1))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("[compensation of 'charge' in saga Shop.placeOrder (saga-1, COMPENSATED, steps [reserve, charge, book])]")
                .hasMessageEndingWith("Expecting the compensation of 'charge' to have taken 1 attempt(s)" + NL
                        + "but it took 2: charge SUCCEEDED after 2 attempt(s)");
    }

    @Test
    void succeededOnAFailedCompensationSaysWithWhat() {
        assertThatThrownBy(() -> SagaAssertions.assertThat(compensationFailed()).compensationOf("charge").succeeded())
                .isInstanceOf(AssertionError.class)
                .hasMessageEndingWith("Expecting the compensation of 'charge' to have SUCCEEDED" + NL
                        + "but it was: charge FAILED after 3 attempt(s) with java.lang.IllegalStateException: bank down");
    }

    @Test
    void compensationOfAStepNeverCompensatedListsTheCompensations() {
        assertThatThrownBy(() -> SagaAssertions.assertThat(compensationFailed()).compensationOf("reserve")).isInstanceOf(AssertionError.class)
                .hasMessageEndingWith("to have one compensation of step 'reserve'" + NL + "but it had 0; its compensations: "
                        + "[book SUCCEEDED after 1 attempt(s), charge FAILED after 3 attempt(s) with java.lang.IllegalStateException: bank down]");
    }

    @Test
    void compensationsFailedAndHasPendingShowExpectedAndActual() {
        SagaAssertions.assertThat(compensationFailed()).hadCompensationFailure().compensationsFailed("charge").hasPending("charge", "reserve");
        assertThatThrownBy(() -> SagaAssertions.assertThat(compensationFailed()).compensationsFailed("reserve")).isInstanceOf(AssertionError.class)
                .hasMessageEndingWith("to have failed compensations:" + NL + "  [reserve]" + NL + "but had:" + NL + "  [charge]");
    }

    @Test
    void isStuckWithoutAJournalSaysHowToGetOne() {
        assertThatThrownBy(() -> SagaAssertions.assertThat(compensationFailed()).isStuck()).isInstanceOf(AssertionError.class)
                .hasMessage(NL + "Expecting saga Shop.placeOrder (saga-1, COMPENSATION_FAILED, steps [reserve, charge, book]) to be STUCK in the "
                        + "durable journal" + NL + "but the application has no journal: put reversible-jdbc on the test class path, with a "
                        + "DataSource, and leave reversible.jdbc.enabled on");
        assertThatThrownBy(() -> compensationFailed().journalEntry()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot be looked up in a journal: the application has none");
    }

    @Test
    void isStuckOnASagaStillRetriedShowsItsRetriesAndNextAttempt() {
        JournalReader journal = id -> Optional.of(new JournalEntry("COMPENSATING", 2, Instant.parse("2026-01-01T10:00:00Z"), "book",
                "java.lang.IllegalStateException: bank down"));
        SagaRecorder recorder = new SagaRecorder(journal);
        recorder.sagaStarted(info);
        completeSteps(recorder, "reserve");
        recorder.sagaRolledBack(info, 1, new RollbackReport(null, carrierDown, List.of(), List.of("reserve"), List.of("reserve")));

        SagaAssertions.assertThat(recorder.lastSaga()).hasJournalStatus("COMPENSATING");
        assertThatThrownBy(() -> SagaAssertions.assertThat(recorder.lastSaga()).isStuck()).isInstanceOf(AssertionError.class)
                .hasMessageEndingWith("to be STUCK in the durable journal" + NL + "but it is COMPENSATING after 2 persistent retries, the next "
                        + "due at 2026-01-01T10:00:00Z, last error java.lang.IllegalStateException: bank down");
    }

    @Test
    void stepOfANameThatOccursTwiceSaysHowMany() {
        SagaRecorder recorder = new SagaRecorder();
        recorder.sagaStarted(info);
        completeSteps(recorder, "charge", "charge");
        recorder.sagaCompleted(info, 1);

        assertThatThrownBy(() -> SagaAssertions.assertThat(recorder.lastSaga()).step("charge")).isInstanceOf(AssertionError.class)
                .hasMessage(NL + "Expecting saga Shop.placeOrder (saga-1, COMPLETED, steps [charge, charge]) to have one step 'charge'" + NL
                        + "but it had 2");
    }

    @Test
    void nullSagaFailsLikeAnyAssertJAssertion() {
        assertThatThrownBy(() -> SagaAssertions.assertThat((RecordedSaga) null).wasCompleted()).isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting actual not to be null");
    }
}
