package dev.reversible.test;

import dev.reversible.test.SagaVerification.Run;
import dev.reversible.test.SagaVerification.Status;
import dev.reversible.test.sample.CarelessCaller;
import dev.reversible.test.sample.Payments;
import dev.reversible.test.sample.Shop;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@SpringBootTest(properties = "reversible.compensation.retry.max-attempts=3")
@AutoConfigureReversibleTest
class SagaVerifierTests {

    private static final String NL = System.lineSeparator();

    @Autowired
    SagaVerifier verifier;

    @Autowired
    FailureInjector injector;

    @Autowired
    Shop shop;

    @Autowired
    Payments payments;

    @Autowired
    CarelessCaller careless;

    @BeforeEach
    void resetShop() {
        shop.reset();
    }

    @Test
    void correctSagaPassesEveryRun() {
        SagaVerification verification = verifier.forEachStep(() -> shop.placeOrder("alice", "BOOK", 1), shop::state);

        assertThat(verification.saga()).isEqualTo("Shop.placeOrder");
        assertThat(verification.steps()).containsExactly("reserve", "charge", "book");
        assertThat(verification.runs()).extracting(Run::description).containsExactly(
                "learning run without failures: completed",
                "failing at step 1 'reserve' (an injected failure replaces its forwards)",
                "failing at step 2 'charge' (an injected failure replaces its forwards)",
                "failing at step 3 'book' (an injected failure replaces its forwards)",
                "failing after the last step (the body of Shop.placeOrder throws instead of returning)",
                "the compensation of 'reserve' failing on every attempt, the saga failing after its last step",
                "the compensation of 'charge' failing on every attempt, the saga failing after its last step",
                "the compensation of 'book' failing on every attempt, the saga failing after its last step");
        assertThat(verification.runs()).extracting(Run::status).containsOnly(Status.PASSED);
        assertThat(injector.injections()).isEmpty();
    }

    @Test
    void refundRestoringTheWrongAmountIsReportedNamingTheStepAndTheEntryItLeftChanged() {
        payments.breakRefund();

        assertThatThrownBy(() -> verifier.forEachStep(() -> shop.placeOrder("alice", "BOOK", 1), shop::state))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("Saga Shop.placeOrder: 2 of 8 runs found a problem" + NL
                        + "Saga Shop.placeOrder with steps [reserve, charge, book]:" + NL
                        + "  PASSED  learning run without failures: completed" + NL
                        + "  PASSED  failing at step 1 'reserve' (an injected failure replaces its forwards)" + NL
                        + "  PASSED  failing at step 2 'charge' (an injected failure replaces its forwards)" + NL
                        + "  FAILED  failing at step 3 'book' (an injected failure replaces its forwards)" + NL
                        + "    the rollback left the state changed:" + NL
                        + "      state.balances.alice: 90 before, 89 after" + NL
                        + "    compensations that ran: [book SUCCEEDED after 1 attempt(s), charge SUCCEEDED after 1 attempt(s), "
                        + "reserve SUCCEEDED after 1 attempt(s)]" + NL
                        + "    what left it: new in this run (failing at step 2 restored the state): the compensation of 'charge' after it "
                        + "completed, or the handler of 'book' after its own failure" + NL
                        + "  FAILED  failing after the last step (the body of Shop.placeOrder throws instead of returning)" + NL
                        + "    the rollback left the state changed:" + NL
                        + "      state.balances.alice: 89 before, 88 after")
                .hasMessageContaining("  PASSED  the compensation of 'book' failing on every attempt, the saga failing after its last step");
    }

    @Test
    void callerThatLosesTheCompensationFailureIsReported() {
        assertThatThrownBy(() -> verifier.forEachStep(() -> careless.placeOrder("alice", "BOOK", 1), shop::state))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("Saga Shop.placeOrder: 3 of 8 runs found a problem")
                .hasMessageContaining("  FAILED  the compensation of 'charge' failing on every attempt, the saga failing after its last step" + NL
                        + "    the caller got java.lang.IllegalStateException: Order failed without a CompensationFailedException in its causes: "
                        + "the failed compensation of 'charge' is lost to the caller");
    }

    @Test
    void programmaticSagaSkipsTheRunAfterTheLastStepAndFailsCompensationsAtTheLastStep() {
        SagaVerification verification = verifier.forEachStep(() -> shop.placeOrderProgrammatically("alice", "BOOK", 1), shop::state);

        assertThat(verification.runs()).filteredOn(run -> run.status() == Status.SKIPPED).singleElement().satisfies(run -> {
            assertThat(run.description()).startsWith("failing after the last step");
            assertThat(run.detail()).contains("is no @ReversibleSaga method (a programmatic saga or a lone action)");
        });
        assertThat(verification.runs()).filteredOn(run -> run.status() == Status.PASSED).extracting(Run::description)
                .contains("the compensation of 'reserve' failing on every attempt, the saga failing at its last step 'book'");
        assertThat(verification.problems()).isEmpty();
    }

    @Test
    void learningRunThatFailsStopsTheVerificationSayingWhy() {
        injector.failAction("charge", new IllegalStateException("declined"));

        assertThatThrownBy(() -> verifier.forEachStep(() -> shop.placeOrder("alice", "BOOK", 1), shop::state))
                .isInstanceOf(AssertionError.class)
                .hasMessage("The learning run must complete without injected failures, to find the saga's steps, but the call threw "
                        + "java.lang.IllegalStateException: declined");
    }

    @Test
    void callThatRunsTwoSagasIsRefused() {
        assertThatThrownBy(() -> verifier.forEachStep(() -> {
            shop.placeOrder("alice", "BOOK", 1);
            shop.placeOrder("alice", "BOOK", 1);
        }, shop::state)).isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("The call must run exactly one outermost saga, but it ran 2: [Shop.placeOrder (");
    }
}
