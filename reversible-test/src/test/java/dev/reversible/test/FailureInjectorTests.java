package dev.reversible.test;

import java.math.BigDecimal;
import java.util.Map;

import dev.reversible.core.CompensationFailedException;
import dev.reversible.test.sample.Shop;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@SpringBootTest(properties = "reversible.compensation.retry.max-attempts=3")
@AutoConfigureReversibleTest
class FailureInjectorTests {

    @Autowired
    SagaRecorder recorder;

    @Autowired
    FailureInjector injector;

    @Autowired
    Shop shop;

    @BeforeEach
    void resetShop() {
        shop.reset();
    }

    @Test
    void failedActionReplacesItsForwardsAndRollsTheSagaBack() {
        IllegalStateException declined = new IllegalStateException("declined");
        Injection injection = injector.failAction("charge", declined);

        assertThatThrownBy(() -> shop.placeOrder("alice", "BOOK", 1)).isSameAs(declined);

        assertThat(injection.timesFired()).isEqualTo(1);
        SagaAssertions.assertThat(recorder.lastSaga()).wasCompensated().failedAt("charge").stepsInOrder("reserve", "charge")
                .compensatedInOrder("charge", "reserve");
        assertThat(shop.state()).isEqualTo(Map.of("stock", Map.of("BOOK", 10), "balances", Map.of("alice", new BigDecimal("100")),
                "shipments", java.util.List.of(), "wrapped", java.util.List.of()));
    }

    @Test
    void actionFailingOnItsSecondCallLetsTheFirstRun() {
        Injection injection = injector.failActionOnCall("reserve", 2, new IllegalStateException("sold out"));

        shop.placeOrder("alice", "BOOK", 1);
        assertThatThrownBy(() -> shop.placeOrder("alice", "BOOK", 1)).hasMessage("sold out");
        shop.placeOrder("alice", "BOOK", 1);

        assertThat(injection.timesFired()).isEqualTo(1);
        assertThat(recorder.sagas()).extracting(RecordedSaga::outcome)
                .containsExactly(SagaOutcome.COMPLETED, SagaOutcome.COMPENSATED, SagaOutcome.COMPLETED);
    }

    @Test
    void compensationFailingOnItsFirstAttemptSucceedsOnTheSecond() {
        injector.failAction("book", new IllegalStateException("carrier down"));
        injector.failCompensation("charge", new IllegalStateException("bank down"), 1);

        assertThatThrownBy(() -> shop.placeOrder("alice", "BOOK", 1)).hasMessage("carrier down");

        SagaAssertions.assertThat(recorder.lastSaga()).wasCompensated().compensatedInOrder("book", "charge", "reserve").hasNothingPending()
                .compensationOf("charge").succeeded().tookAttempts(2);
        assertThat(shop.state().get("balances")).isEqualTo(Map.of("alice", new BigDecimal("100")));
    }

    @Test
    void compensationWithAContextCountsAttemptsFromIt() {
        injector.failAction("book", new IllegalStateException("carrier down"));
        injector.failCompensation("reserve", new IllegalStateException("warehouse down"), 2);

        assertThatThrownBy(() -> shop.placeOrder("alice", "BOOK", 1)).hasMessage("carrier down");

        SagaAssertions.assertThat(recorder.lastSaga()).wasCompensated().compensationOf("reserve").tookAttempts(3);
    }

    @Test
    void compensationFailingOnEveryAttemptReachesTheCallerAsCompensationFailedException() {
        IllegalStateException carrierDown = new IllegalStateException("carrier down");
        IllegalStateException bankDown = new IllegalStateException("bank down");
        injector.failAction("book", carrierDown);
        injector.failCompensation("charge", bankDown);

        assertThatThrownBy(() -> shop.placeOrder("alice", "BOOK", 1)).isInstanceOfSatisfying(CompensationFailedException.class, e -> {
            assertThat(e.getCause()).isSameAs(carrierDown);
            assertThat(e.failures()).containsExactly(bankDown);
            assertThat(e.pending()).containsExactly("charge", "reserve");
        });

        SagaAssertions.assertThat(recorder.lastSaga()).hadCompensationFailure().compensatedInOrder("book").compensationsFailed("charge")
                .hasPending("charge", "reserve").compensationOf("charge").failedWith(IllegalStateException.class).tookAttempts(3);
    }

    @Test
    void sagaFailingOnReturnRollsBackEveryCompletedStep() {
        IllegalStateException late = new IllegalStateException("late");
        injector.failSagaOnReturn("Shop.placeOrder", late);

        assertThatThrownBy(() -> shop.placeOrder("alice", "BOOK", 1)).isSameAs(late);

        SagaAssertions.assertThat(recorder.lastSaga()).wasCompensated().stepsInOrder("reserve", "charge", "book")
                .compensatedInOrder("book", "charge", "reserve");
        assertThat(recorder.lastSaga().failedStep()).isNull();
        assertThat(recorder.lastSaga().steps()).extracting(RecordedStep::outcome).containsOnly(RecordedStep.Outcome.COMPLETED);
    }

    @Test
    void removedInjectionNoLongerFires() {
        Injection injection = injector.failAction("charge", new IllegalStateException("declined"));
        injection.remove();

        shop.placeOrder("alice", "BOOK", 1);

        assertThat(injection.timesFired()).isZero();
        assertThat(injector.injections()).isEmpty();
        SagaAssertions.assertThat(recorder.lastSaga()).wasCompleted();
    }

    @Test
    void injectionDescribesItself() {
        assertThat(injector.failActionOnCall("charge", 2, new IllegalStateException())).hasToString(
                "action 'charge' fails on call 2 with java.lang.IllegalStateException");
        assertThat(injector.failCompensation("charge", new IllegalStateException(), 2)).hasToString(
                "compensation of 'charge' fails on attempts 1..2 with java.lang.IllegalStateException");
    }

    @Test
    void callAndAttemptCountsMustBePositive() {
        assertThatThrownBy(() -> injector.failActionOnCall("charge", 0, new IllegalStateException()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("call must be at least 1, was 0");
        assertThatThrownBy(() -> injector.failCompensation("charge", new IllegalStateException(), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("attempts must be at least 1, was 0");
    }
}
