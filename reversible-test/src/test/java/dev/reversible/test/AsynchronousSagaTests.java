package dev.reversible.test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.reversible.test.SagaVerification.Run;
import dev.reversible.test.SagaVerification.Status;
import dev.reversible.test.sample.BackgroundCaller;
import dev.reversible.test.sample.Payments;
import dev.reversible.test.sample.Shop;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Sagas that end on another thread: an asynchronous saga whose future the call returns (its last step completes on the
 * carrier's thread), and an {@code @Async} caller that returns before its saga even starts.
 */
@SpringBootTest(properties = "reversible.test.await-timeout=20s")
@AutoConfigureReversibleTest
class AsynchronousSagaTests {

    private static final String NL = System.lineSeparator();

    @Autowired
    SagaVerifier verifier;

    @Autowired
    SagaRecorder recorder;

    @Autowired
    FailureInjector injector;

    @Autowired
    Shop shop;

    @Autowired
    Payments payments;

    @Autowired
    BackgroundCaller background;

    @BeforeEach
    void resetShop() {
        shop.reset();
    }

    @Test
    void timeoutComesFromTheProperty() {
        assertThat(verifier.timeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(verifier.withTimeout(Duration.ofMillis(300)).timeout()).isEqualTo(Duration.ofMillis(300));
    }

    @Test
    void everyStepOfAnAsynchronousSagaIsUndoneWithTheFutureTheCallReturnsWaitedFor() {
        SagaVerification verification = verifier.forEachStep(() -> shop.placeOrderAsync("alice", "BOOK", 1), shop::state);

        assertThat(verification.saga()).isEqualTo("Shop.placeOrderAsync");
        assertThat(verification.steps()).containsExactly("reserve", "charge", "bookLater");
        assertThat(verification.runs()).hasSize(8).extracting(Run::status).containsOnly(Status.PASSED);
    }

    @Test
    void shortRefundInAnAsynchronousSagaIsFound() {
        payments.breakRefund();

        assertThatThrownBy(() -> verifier.forEachStep(() -> shop.placeOrderAsync("alice", "BOOK", 1), shop::state))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("Saga Shop.placeOrderAsync: 2 of 8 runs found a problem")
                .hasMessageContaining("  FAILED  failing at step 3 'bookLater' (an injected failure replaces its forwards)" + NL
                        + "    the rollback left the state changed:" + NL
                        + "      state.balances.alice: 90 before, 89 after");
    }

    @Test
    void asynchronousSagaNobodyWaitsForIsAwaitedThroughTheRecorder() throws Exception {
        injector.failAction("bookLater", new IllegalStateException("carrier down"));

        CompletableFuture<String> order = shop.placeOrderAsync("alice", "BOOK", 1);

        RecordedSaga saga = recorder.awaitLastSaga("Shop.placeOrderAsync", Duration.ofSeconds(10));
        SagaAssertions.assertThat(saga).wasCompensated().failedAt("bookLater").compensatedInOrder("bookLater", "charge", "reserve");
        assertThat(catchThrowable(() -> order.get(10, TimeUnit.SECONDS))).isInstanceOf(ExecutionException.class).cause()
                .hasMessage("carrier down");
    }

    @Test
    void everyStepOfASagaRunInTheBackgroundIsUndoneOnceTheRecorderSawItEnd() {
        SagaVerification verification = verifier.forEachStep(() -> background.placeOrder("alice", "BOOK", 1), shop::state);

        assertThat(verification.saga()).isEqualTo("Shop.placeOrder");
        assertThat(verification.runs()).hasSize(8).extracting(Run::status).containsOnly(Status.PASSED);
        assertThat(verification.runs().get(0).description()).isEqualTo("learning run without failures: completed "
                + "(on another thread: the runs wait for the recorder to see each saga end)");
    }

    @Test
    void shortRefundInASagaRunInTheBackgroundIsFoundBecauseTheStateIsTakenAfterItsRollback() {
        payments.breakRefund();

        assertThatThrownBy(() -> verifier.forEachStep(() -> background.placeOrder("alice", "BOOK", 1), shop::state))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("Saga Shop.placeOrder: 2 of 8 runs found a problem")
                .hasMessageContaining("  FAILED  failing at step 3 'book' (an injected failure replaces its forwards)" + NL
                        + "    the rollback left the state changed:" + NL
                        + "      state.balances.alice: 90 before, 89 after");
    }

    @Test
    void awaitLastSagaThatNeverEndsSaysWhatWasRecorded() {
        assertThatThrownBy(() -> recorder.awaitLastSaga(Duration.ofMillis(50))).isInstanceOf(AssertionError.class)
                .hasMessage("No saga ended, with none left running, within PT0.05S; recorded: none");
        assertThatThrownBy(() -> recorder.awaitLastSaga("Shop.placeOrder", Duration.ofMillis(50))).isInstanceOf(AssertionError.class)
                .hasMessage("No saga named 'Shop.placeOrder' ended, with none of that name left running, within PT0.05S; recorded: none");
    }

    @Test
    void callRunningNoSagaIsRefusedAfterTheTimeout() {
        assertThatThrownBy(() -> verifier.withTimeout(Duration.ofMillis(100)).forEachStep(() -> { }, shop::state))
                .isInstanceOf(AssertionError.class)
                .hasMessage("The call must run exactly one outermost saga, but it ran 0 (waited PT0.1S for one to start and end): []");
    }
}
