package dev.reversible.test;

import dev.reversible.test.sample.Shop;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@SpringBootTest(properties = "reversible.compensation.retry.max-attempts=3")
@AutoConfigureReversibleTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReversibleTestExecutionListenerTests {

    @Autowired
    SagaRecorder recorder;

    @Autowired
    FailureInjector injector;

    @Autowired
    Shop shop;

    @Test
    @Order(1)
    void firstTestInjectsAFailureAndRunsASaga() {
        shop.reset();
        injector.failAction("charge", new IllegalStateException("declined"));

        assertThatThrownBy(() -> shop.placeOrder("alice", "BOOK", 1)).hasMessage("declined");
        assertThat(recorder.sagas()).hasSize(1);
    }

    @Test
    @Order(2)
    void nextTestStartsWithNoRecordedSagaAndNoInjection() {
        assertThat(recorder.sagas()).isEmpty();
        assertThat(injector.injections()).isEmpty();

        shop.placeOrder("alice", "BOOK", 1);

        SagaAssertions.assertThat(recorder.lastSaga()).wasCompleted();
    }
}
