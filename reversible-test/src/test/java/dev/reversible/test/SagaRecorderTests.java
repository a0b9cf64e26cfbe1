package dev.reversible.test;

import dev.reversible.test.sample.Shop;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@SpringBootTest(properties = "reversible.compensation.retry.max-attempts=3")
@AutoConfigureReversibleTest
class SagaRecorderTests {

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
    void completedSagaIsRecordedWithItsNameIdAndStepsInOrder() {
        shop.placeOrder("alice", "BOOK", 1);

        RecordedSaga saga = recorder.lastSaga();
        assertThat(saga.name()).isEqualTo("Shop.placeOrder");
        assertThat(saga.id()).isNotBlank();
        assertThat(saga.outcome()).isEqualTo(SagaOutcome.COMPLETED);
        assertThat(saga.stepNames()).containsExactly("reserve", "charge", "book");
        assertThat(saga.steps()).extracting(RecordedStep::outcome).containsOnly(RecordedStep.Outcome.COMPLETED);
        assertThat(saga.compensations()).isEmpty();
        assertThat(saga.rollback()).isNull();
    }

    @Test
    void rolledBackSagaIsRecordedWithItsCompensationsInTheOrderTheyRan() {
        IllegalStateException refused = new IllegalStateException("carrier down");
        injector.failAction("book", refused);

        assertThatThrownBy(() -> shop.placeOrder("alice", "BOOK", 1)).isSameAs(refused);

        RecordedSaga saga = recorder.lastSaga();
        assertThat(saga.outcome()).isEqualTo(SagaOutcome.COMPENSATED);
        assertThat(saga.failure()).isSameAs(refused);
        assertThat(saga.failedStep()).isEqualTo("book");
        assertThat(saga.steps().get(2)).isEqualTo(new RecordedStep("book", 2, -1, RecordedStep.Outcome.FAILED, refused, false));
        assertThat(saga.compensations()).containsExactly(
                new RecordedCompensation("book", RecordedCompensation.Outcome.SUCCEEDED, 1, null),
                new RecordedCompensation("charge", RecordedCompensation.Outcome.SUCCEEDED, 1, null),
                new RecordedCompensation("reserve", RecordedCompensation.Outcome.SUCCEEDED, 1, null));
        assertThat(saga.pending()).isEmpty();
    }

    @Test
    void everySagaIsRecordedInOrderOfStartAndLastSagaIsTheOneThatEndedLast() {
        shop.placeOrder("alice", "BOOK", 1);
        injector.failAction("charge", new IllegalStateException("declined"));
        assertThatThrownBy(() -> shop.placeOrder("alice", "BOOK", 1)).hasMessage("declined");

        assertThat(recorder.sagas()).extracting(RecordedSaga::outcome).containsExactly(SagaOutcome.COMPLETED, SagaOutcome.COMPENSATED);
        assertThat(recorder.lastSaga().outcome()).isEqualTo(SagaOutcome.COMPENSATED);
        assertThat(recorder.lastSaga("Shop.placeOrder")).isEqualTo(recorder.lastSaga());
    }

    @Test
    void lastSagaWithoutAnySagaSaysSo() {
        assertThatThrownBy(recorder::lastSaga).isInstanceOf(AssertionError.class)
                .hasMessage("No saga has ended since the test started; recorded: none");
    }

    @Test
    void lastSagaOfAnUnknownNameListsWhatWasRecorded() {
        shop.placeOrder("alice", "BOOK", 1);

        assertThatThrownBy(() -> recorder.lastSaga("Shop.cancelOrder")).isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("No saga named 'Shop.cancelOrder' has ended since the test started; recorded: [Shop.placeOrder (")
                .hasMessageEndingWith(", COMPLETED, steps [reserve, charge, book])]");
    }

    @Test
    void programmaticSagaOnTheStartersExecutorIsRecordedToo() throws Exception {
        shop.placeOrderProgrammatically("alice", "BOOK", 1);

        assertThat(recorder.lastSaga().stepNames()).containsExactly("reserve", "charge", "book");
    }
}
