package dev.reversible.test;

import dev.reversible.test.SagaVerification.Run;
import dev.reversible.test.SagaVerification.Status;
import dev.reversible.test.sample.Shop;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The shop with the starter's durable journal on an embedded H2 database: a compensation failing on every attempt,
 * with no persistent retry left ({@code max-attempts=0}), leaves its saga {@code STUCK}, which the kit asserts
 * by reading the journal.
 */
@SpringBootTest(properties = { "reversible.jdbc.enabled=true", "reversible.jdbc.retry.max-attempts=0",
        "reversible.compensation.retry.max-attempts=2" })
@AutoConfigureReversibleTest
class JournaledShopTests {

    private static final String NL = System.lineSeparator();

    @Autowired
    SagaRecorder recorder;

    @Autowired
    FailureInjector injector;

    @Autowired
    SagaVerifier verifier;

    @Autowired
    Shop shop;

    @BeforeEach
    void resetShop() {
        shop.reset();
    }

    @Test
    void compensationFailingOnEveryAttemptLeavesTheSagaStuckInTheJournal() {
        injector.failAction("book", new IllegalStateException("carrier down"));
        injector.failCompensation("charge", new IllegalStateException("bank down"));

        assertThatThrownBy(() -> shop.placeOrder("alice", "BOOK", 1)).hasRootCauseMessage("carrier down");

        RecordedSaga saga = recorder.lastSaga();
        SagaAssertions.assertThat(saga).hadCompensationFailure().compensationsFailed("charge").hasPending("charge", "reserve").isStuck()
                .compensationOf("charge").tookAttempts(2);
        assertThat(saga.hasJournal()).isTrue();
        JournalEntry entry = saga.journalEntry().orElseThrow();
        assertThat(entry.status()).isEqualTo("STUCK");
        assertThat(entry.failedStep()).isEqualTo("book");
        // The journal counts the failed rollback as its first persistent retry: one more than max-attempts=0, so STUCK.
        assertThat(entry.retries()).isEqualTo(1);
        assertThat(entry.lastError()).isEqualTo("java.lang.IllegalStateException: bank down");
    }

    @Test
    void compensatedSagaIsNotStuckAndTheFailureSaysWhereTheJournalHasIt() {
        injector.failAction("book", new IllegalStateException("carrier down"));
        assertThatThrownBy(() -> shop.placeOrder("alice", "BOOK", 1)).hasMessage("carrier down");

        SagaAssertions.assertThat(recorder.lastSaga()).wasCompensated().hasJournalStatus("COMPENSATED");
        assertThatThrownBy(() -> SagaAssertions.assertThat(recorder.lastSaga()).isStuck()).isInstanceOf(AssertionError.class)
                .hasMessageStartingWith(NL + "Expecting saga Shop.placeOrder (")
                .hasMessageEndingWith(", COMPENSATED, steps [reserve, charge, book]) to be STUCK in the durable journal" + NL
                        + "but it is COMPENSATED after 0 persistent retries, last error java.lang.IllegalStateException: carrier down");
    }

    @Test
    void completedSagaIsGoneFromTheJournalAndTheFailureSaysWhy() {
        shop.placeOrder("alice", "BOOK", 1);

        RecordedSaga saga = recorder.lastSaga();
        assertThat(saga.journalEntry()).isEmpty();
        assertThatThrownBy(() -> SagaAssertions.assertThat(saga).isStuck()).isInstanceOf(AssertionError.class)
                .hasMessageEndingWith("to be STUCK in the durable journal" + NL + "but the journal has no saga with id " + saga.id()
                        + " (a saga that completed is deleted with reversible.jdbc.completed=delete, one whose first step failed is never written)");
    }

    @Test
    void everyStepIsUndoneWithTheJournalTooAndEachFailedCompensationLeavesItsSagaStuck() {
        SagaVerification verification = verifier.forEachStep(() -> shop.placeOrder("alice", "BOOK", 1), shop::state);

        assertThat(verification.runs()).hasSize(8).extracting(Run::status).containsOnly(Status.PASSED);
        assertThat(recorder.sagas()).filteredOn(saga -> saga.outcome() == SagaOutcome.COMPENSATION_FAILED).hasSize(3)
                .allSatisfy(saga -> SagaAssertions.assertThat(saga).isStuck());
    }
}
