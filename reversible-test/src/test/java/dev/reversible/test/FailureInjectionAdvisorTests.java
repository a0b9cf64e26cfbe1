package dev.reversible.test;

import java.util.Arrays;
import java.util.List;

import dev.reversible.spring.aop.ReversibleAdvisor;
import dev.reversible.test.sample.Payments;
import dev.reversible.test.sample.Shop;
import org.junit.jupiter.api.Test;

import org.springframework.aop.Advisor;
import org.springframework.aop.framework.Advised;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.Ordered;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@SpringBootTest(properties = "reversible.compensation.retry.max-attempts=3")
@AutoConfigureReversibleTest
class FailureInjectionAdvisorTests {

    @Autowired
    Payments payments;

    @Autowired
    Shop shop;

    @Autowired
    FailureInjectionAdvisor advisor;

    @Autowired
    FailureInjector injector;

    @Autowired
    SagaRecorder recorder;

    @Test
    void advisorSitsInsideTheSagaAspect() {
        List<Class<?>> advisors = Arrays.stream(((Advised) payments).getAdvisors()).<Class<?>>map(Advisor::getClass).toList();

        assertThat(advisor.getOrder()).isEqualTo(Ordered.LOWEST_PRECEDENCE);
        assertThat(advisors).containsSubsequence(ReversibleAdvisor.class, FailureInjectionAdvisor.class);
    }

    @Test
    void sagaAspectSeesAnInjectedFailureAsTheStepsOwn() {
        IllegalStateException declined = new IllegalStateException("declined");
        injector.failAction("charge", declined);
        shop.reset();

        assertThatThrownBy(() -> shop.placeOrder("alice", "BOOK", 1)).isSameAs(declined);

        RecordedSaga saga = recorder.lastSaga();
        assertThat(saga.steps().get(1)).isEqualTo(new RecordedStep("charge", 1, -1, RecordedStep.Outcome.FAILED, declined, false));
        // Rule 6: the failed step's own handler ran, so the failure happened inside the step, not around the saga.
        assertThat(saga.compensatedSteps()).containsExactly("charge", "reserve");
    }
}
