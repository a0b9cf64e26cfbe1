package dev.reversible.spring.aop;

import dev.reversible.core.CompensationFailedException;
import dev.reversible.spring.annotation.ReversibleSaga;
import dev.reversible.spring.statistics.SagaStatistics;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static dev.reversible.spring.aop.SagaContexts.sagaCount;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * {@code rollbackFor} / {@code noRollbackFor}: a {@code noRollbackFor} failure keeps the completed steps
 * but still undoes the step that failed; with both attributes the class closest to the exception wins.
 */
class RollbackForTests {

    private final ApplicationContextRunner runner = SagaContexts.runner().withUserConfiguration(Config.class);

    @Test
    void noRollbackForFailureOfAStepUndoesOnlyThatStep() {
        runner.run(context -> {
            PaymentPending failure = new PaymentPending();
            CallLog log = context.getBean(CallLog.class).failForwards("c", failure);

            Throwable thrown = catchThrowable(() -> context.getBean(PaymentSaga.class).tolerant("o1"));

            assertThat(thrown).isSameAs(failure);
            assertThat(log.calls()).containsExactly("a", "b", "c", "undo c");
            assertThat(log.compensationOf("c").context().failure()).isSameAs(failure);
        });
    }

    @Test
    void noRollbackForFailureIsCountedAsFailedNotCompensated() {
        runner.run(context -> {
            context.getBean(CallLog.class).failForwards("c", new PaymentPending());

            catchThrowable(() -> context.getBean(PaymentSaga.class).tolerant("o1"));

            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(sagaCount(registry, "PaymentSaga.tolerant", "failed")).isEqualTo(1);
            assertThat(sagaCount(registry, "PaymentSaga.tolerant", "compensated")).isZero();
            assertThat(sagaCount(registry, "PaymentSaga.tolerant", "compensation_failed")).isZero();
            SagaStatistics statistics = context.getBean(SagaStatistics.class);
            assertThat(statistics.totals().failed()).isEqualTo(1);
            assertThat(statistics.totals().compensated()).isZero();
            assertThat(statistics.recentRollbacks()).isEmpty();
            assertThat(statistics.actions().get("c").failed()).isEqualTo(1);
            assertThat(statistics.actions().get("c").compensated()).isEqualTo(1);
            assertThat(statistics.actions().get("b").compensated()).isZero();
        });
    }

    @Test
    void noRollbackForFailureOfTheBodyUndoesNothing() {
        runner.run(context -> {
            CallLog log = context.getBean(CallLog.class);
            PaymentPending failure = new PaymentPending();

            Throwable thrown = catchThrowable(() -> context.getBean(PaymentSaga.class).tolerantThenThrowing("o1", failure));

            assertThat(thrown).isSameAs(failure);
            assertThat(log.calls()).containsExactly("a", "b", "c");
        });
    }

    @Test
    void subclassOfANoRollbackForClassKeepsTheCompletedStepsToo() {
        runner.run(context -> {
            CallLog log = context.getBean(CallLog.class).failForwards("b", new ExpressPaymentPending());

            catchThrowable(() -> context.getBean(PaymentSaga.class).tolerant("o1"));

            assertThat(log.calls()).containsExactly("a", "b", "undo b");
        });
    }

    @Test
    void failureNotListedInNoRollbackForStillRollsBack() {
        runner.run(context -> {
            CallLog log = context.getBean(CallLog.class).failForwards("c", new IllegalStateException("not pending"));

            catchThrowable(() -> context.getBean(PaymentSaga.class).tolerant("o1"));

            assertThat(log.calls()).containsExactly("a", "b", "c", "undo c", "undo b", "undo a");
            assertThat(sagaCount(context.getBean(MeterRegistry.class), "PaymentSaga.tolerant", "compensated")).isEqualTo(1);
        });
    }

    @Test
    void noRollbackForFailureWhoseOwnCompensationFailsKeepsTheOtherStepsAndReportsTheFailedCompensation() {
        runner.run(context -> {
            PaymentPending failure = new PaymentPending();
            IllegalStateException undoFailure = new IllegalStateException("c cannot be undone");
            CallLog log = context.getBean(CallLog.class).failForwards("c", failure).failCompensation("c", undoFailure);

            Throwable thrown = catchThrowable(() -> context.getBean(PaymentSaga.class).tolerant("o1"));

            assertThat(log.calls()).containsExactly("a", "b", "c", "undo c");
            CompensationFailedException incomplete = (CompensationFailedException) thrown;
            assertThat(incomplete.getCause()).isSameAs(failure);
            assertThat(incomplete.failures()).containsExactly(undoFailure);
            assertThat(incomplete.pending()).containsExactly("c");
            assertThat(sagaCount(context.getBean(MeterRegistry.class), "PaymentSaga.tolerant", "compensation_failed")).isEqualTo(1);
        });
    }

    /**
     * {@code rollbackFor = CardDeclined, noRollbackFor = BusinessException} and
     * {@code rollbackFor = BusinessException, noRollbackFor = PaymentPending}: the closest class wins; no match rolls back.
     */
    @ParameterizedTest(name = "{0} thrown in {1}")
    @CsvSource(delimiter = '|', value = {
        "CardDeclined          | declinedRollsBack  | a, b, c, undo c, undo b, undo a",
        "PaymentPending        | declinedRollsBack  | a, b, c, undo c",
        "ExpressPaymentPending | declinedRollsBack  | a, b, c, undo c",
        "IllegalStateException | declinedRollsBack  | a, b, c, undo c, undo b, undo a",
        "CardDeclined          | pendingIsTolerated | a, b, c, undo c, undo b, undo a",
        "PaymentPending        | pendingIsTolerated | a, b, c, undo c",
        "ExpressPaymentPending | pendingIsTolerated | a, b, c, undo c",
        "BusinessException     | pendingIsTolerated | a, b, c, undo c, undo b, undo a" })
    void mostSpecificMatchingClassDecides(String exception, String saga, String expectedCalls) {
        runner.run(context -> {
            Exception failure = switch (exception) {
                case "CardDeclined" -> new CardDeclined();
                case "PaymentPending" -> new PaymentPending();
                case "ExpressPaymentPending" -> new ExpressPaymentPending();
                case "BusinessException" -> new BusinessException();
                default -> new IllegalStateException();
            };
            CallLog log = context.getBean(CallLog.class).failForwards("c", failure);
            PaymentSaga payments = context.getBean(PaymentSaga.class);

            Throwable thrown = catchThrowable(() -> {
                if (saga.equals("declinedRollsBack")) {
                    payments.declinedRollsBack("o1");
                } else {
                    payments.pendingIsTolerated("o1");
                }
            });

            assertThat(thrown).isSameAs(failure);
            assertThat(log.calls()).containsExactly(expectedCalls.split(", "));
        });
    }

    static class BusinessException extends Exception {
        private static final long serialVersionUID = 1L;
    }

    static class CardDeclined extends BusinessException {
        private static final long serialVersionUID = 1L;
    }

    static class PaymentPending extends BusinessException {
        private static final long serialVersionUID = 1L;
    }

    static class ExpressPaymentPending extends PaymentPending {
        private static final long serialVersionUID = 1L;
    }

    @Configuration(proxyBeanMethods = false)
    static class Config {

        @Bean
        CallLog callLog() {
            return new CallLog();
        }

        @Bean
        Steps steps(CallLog callLog) {
            return new Steps(callLog);
        }

        @Bean
        PaymentSaga paymentSaga(Steps steps) {
            return new PaymentSaga(steps);
        }
    }

    static class PaymentSaga {

        private final Steps steps;

        PaymentSaga(Steps steps) {
            this.steps = steps;
        }

        @ReversibleSaga(noRollbackFor = PaymentPending.class)
        public String tolerant(String order) throws Exception {
            return steps.c(steps.b(steps.a(order)));
        }

        @ReversibleSaga(noRollbackFor = PaymentPending.class)
        public String tolerantThenThrowing(String order, Exception failure) throws Exception {
            steps.c(steps.b(steps.a(order)));
            throw failure;
        }

        @ReversibleSaga(rollbackFor = CardDeclined.class, noRollbackFor = BusinessException.class)
        public String declinedRollsBack(String order) throws Exception {
            return steps.c(steps.b(steps.a(order)));
        }

        @ReversibleSaga(rollbackFor = BusinessException.class, noRollbackFor = PaymentPending.class)
        public String pendingIsTolerated(String order) throws Exception {
            return steps.c(steps.b(steps.a(order)));
        }
    }
}
