package dev.reversible.spring.aop;

import java.io.IOException;
import java.lang.reflect.UndeclaredThrowableException;

import dev.reversible.core.CompensationFailedException;
import dev.reversible.spring.annotation.ReversibleSaga;
import dev.reversible.spring.statistics.RollbackRecord;
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
 * The saga boundary through a real application context: call order of forwards and compensations, the
 * exception that leaves the saga, and what a failing compensation turns it into.
 */
class ReversibleInterceptorTests {

    private static final String SAGA = "ThreeStepSaga.run";

    private final ApplicationContextRunner runner = SagaContexts.runner().withUserConfiguration(Config.class);

    @Test
    void completedSagaReturnsTheBodysResultAndCompensatesNothing() {
        runner.run(context -> {
            ThreeStepSaga saga = context.getBean(ThreeStepSaga.class);
            CallLog log = context.getBean(CallLog.class);

            assertThat(saga.run("o1")).isEqualTo("done C(B(A(o1)))");

            assertThat(log.calls()).containsExactly("a", "b", "c");
            SagaStatistics statistics = context.getBean(SagaStatistics.class);
            assertThat(statistics.totals().started()).isEqualTo(1);
            assertThat(statistics.totals().completed()).isEqualTo(1);
            assertThat(statistics.totals().compensated()).isZero();
            assertThat(sagaCount(context.getBean(MeterRegistry.class), SAGA, "completed")).isEqualTo(1);
        });
    }

    @ParameterizedTest(name = "failing at {0}")
    @CsvSource(delimiter = '|', value = {
        "a | a, undo a",
        "b | a, b, undo b, undo a",
        "c | a, b, c, undo c, undo b, undo a" })
    void failedStepIsCompensatedFirstThenTheCompletedStepsInReverseOrder(String failingStep, String expectedCalls) {
        runner.run(context -> {
            IllegalStateException failure = new IllegalStateException(failingStep + " is out of order");
            CallLog log = context.getBean(CallLog.class).failForwards(failingStep, failure);

            Throwable thrown = catchThrowable(() -> context.getBean(ThreeStepSaga.class).run("o1"));

            assertThat(thrown).isSameAs(failure);
            assertThat(log.calls()).containsExactly(expectedCalls.split(", "));
            assertThat(sagaCount(context.getBean(MeterRegistry.class), SAGA, "compensated")).isEqualTo(1);
            RollbackRecord rollback = context.getBean(SagaStatistics.class).recentRollbacks().get(0);
            assertThat(rollback.failedStep()).isEqualTo(failingStep);
            assertThat(rollback.exceptionClass()).isEqualTo(IllegalStateException.class.getName());
            assertThat(rollback.failedCompensations()).isEmpty();
        });
    }

    @Test
    void failedStepsHandlerReceivesNoResultAndTheFailureWhileCompletedStepsReceiveTheirResults() {
        runner.run(context -> {
            IllegalStateException failure = new IllegalStateException("c is out of order");
            CallLog log = context.getBean(CallLog.class).failForwards("c", failure);

            catchThrowable(() -> context.getBean(ThreeStepSaga.class).run("o1"));

            CallLog.Compensation c = log.compensationOf("c");
            assertThat(c.input()).isEqualTo("B(A(o1))");
            assertThat(c.result()).isNull();
            assertThat(c.context().result()).isNull();
            assertThat(c.context().failure()).isSameAs(failure);
            assertThat(c.context().stepName()).isEqualTo("c");
            assertThat(c.context().stepIndex()).isEqualTo(2);

            CallLog.Compensation b = log.compensationOf("b");
            assertThat(b.input()).isEqualTo("A(o1)");
            assertThat(b.result()).isEqualTo("B(A(o1))");
            assertThat(b.context().result()).isEqualTo("B(A(o1))");
            assertThat(b.context().failure()).isNull();
            assertThat(b.context().stepIndex()).isEqualTo(1);

            CallLog.Compensation a = log.compensationOf("a");
            assertThat(a.input()).isEqualTo("o1");
            assertThat(a.result()).isEqualTo("A(o1)");
            assertThat(a.context().failure()).isNull();
            assertThat(a.context().stepIndex()).isZero();

            assertThat(log.compensations()).extracting(x -> x.context().sagaName()).containsOnly(SAGA);
            assertThat(log.compensations()).extracting(x -> x.context().attempt()).containsOnly(1);
            String sagaId = a.context().sagaId();
            assertThat(sagaId).isNotBlank();
            assertThat(log.compensations()).extracting(x -> x.context().sagaId()).containsOnly(sagaId);
            assertThat(context.getBean(SagaStatistics.class).recentRollbacks().get(0).sagaId()).isEqualTo(sagaId);
        });
    }

    @Test
    void failureOfTheBodyAfterItsLastStepCompensatesEveryStepInReverseOrder() {
        runner.run(context -> {
            CallLog log = context.getBean(CallLog.class);
            IllegalArgumentException failure = new IllegalArgumentException("rejected after the steps");

            Throwable thrown = catchThrowable(() -> context.getBean(ThreeStepSaga.class).runThenThrow("o1", failure));

            assertThat(thrown).isSameAs(failure);
            assertThat(log.calls()).containsExactly("a", "b", "c", "undo c", "undo b", "undo a");
            assertThat(log.compensations()).extracting(x -> x.context().failure()).containsOnlyNulls();
            RollbackRecord rollback = context.getBean(SagaStatistics.class).recentRollbacks().get(0);
            assertThat(rollback.sagaName()).isEqualTo("ThreeStepSaga.runThenThrow");
            assertThat(rollback.failedStep()).isNull();
            assertThat(rollback.compensated()).containsExactly("c", "b", "a");
        });
    }

    @Test
    void checkedExceptionOfAStepIsRethrownAsTheSameInstanceNeverWrapped() {
        runner.run(context -> {
            IOException failure = new IOException("disk full");
            CallLog log = context.getBean(CallLog.class).failForwards("b", failure);

            Throwable thrown = catchThrowable(() -> context.getBean(ThreeStepSaga.class).run("o1"));

            assertThat(thrown).isSameAs(failure).isNotInstanceOf(UndeclaredThrowableException.class);
            assertThat(log.calls()).containsExactly("a", "b", "undo b", "undo a");
        });
    }

    @Test
    void checkedExceptionOfTheBodyRollsBackAndIsRethrownAsTheSameInstance() {
        runner.run(context -> {
            IOException failure = new IOException("checked, still a failure");

            Throwable thrown = catchThrowable(() -> context.getBean(ThreeStepSaga.class).runThenThrow("o1", failure));

            assertThat(thrown).isSameAs(failure);
            assertThat(context.getBean(CallLog.class).calls()).containsExactly("a", "b", "c", "undo c", "undo b", "undo a");
        });
    }

    @Test
    void errorOfAStepRollsBackAndIsRethrownAsTheSameInstance() {
        runner.run(context -> {
            Error failure = new AssertionError("an Error is a failure too");
            CallLog log = context.getBean(CallLog.class).failForwards("c", failure);

            Throwable thrown = catchThrowable(() -> context.getBean(ThreeStepSaga.class).run("o1"));

            assertThat(thrown).isSameAs(failure);
            assertThat(log.calls()).containsExactly("a", "b", "c", "undo c", "undo b", "undo a");
        });
    }

    @Test
    void sagaThatReturnedKeepsItsStepsSoALaterSagaUndoesOnlyItsOwn() {
        runner.run(context -> {
            ThreeStepSaga saga = context.getBean(ThreeStepSaga.class);
            CallLog log = context.getBean(CallLog.class);
            saga.run("o1");
            log.failForwards("c", new IllegalStateException("second order fails"));

            catchThrowable(() -> saga.run("o2"));

            assertThat(log.calls()).containsExactly("a", "b", "c", "a", "b", "c", "undo c", "undo b", "undo a");
            assertThat(log.compensations()).extracting(CallLog.Compensation::input).containsExactly("B(A(o2))", "A(o2)", "o2");
        });
    }

    @Test
    void failingCompensationUnderAbortStopsTheRollbackAndKeepsTheOriginalAsCause() {
        runner.run(context -> {
            IllegalStateException failure = new IllegalStateException("c is out of order");
            IllegalStateException undoFailure = new IllegalStateException("b cannot be undone");
            CallLog log = context.getBean(CallLog.class).failForwards("c", failure).failCompensation("b", undoFailure);

            Throwable thrown = catchThrowable(() -> context.getBean(ThreeStepSaga.class).run("o1"));

            assertThat(log.calls()).containsExactly("a", "b", "c", "undo c", "undo b");
            assertThat(thrown).isInstanceOf(CompensationFailedException.class).hasCause(failure);
            CompensationFailedException incomplete = (CompensationFailedException) thrown;
            assertThat(incomplete.getCause()).isSameAs(failure);
            assertThat(incomplete.failures()).containsExactly(undoFailure);
            assertThat(incomplete.getSuppressed()).containsExactly(undoFailure);
            assertThat(incomplete.pending()).containsExactly("b", "a");

            assertThat(sagaCount(context.getBean(MeterRegistry.class), SAGA, "compensation_failed")).isEqualTo(1);
            assertThat(sagaCount(context.getBean(MeterRegistry.class), SAGA, "compensated")).isZero();
            RollbackRecord rollback = context.getBean(SagaStatistics.class).recentRollbacks().get(0);
            assertThat(rollback.compensated()).containsExactly("c");
            assertThat(rollback.failedCompensations()).containsExactly("b");
            assertThat(rollback.pending()).containsExactly("b", "a");
        });
    }

    @Test
    void failingCompensationUnderContinueRunsEveryRemainingCompensation() {
        runner.withPropertyValues("reversible.rollback-policy=continue").run(context -> {
            IOException failure = new IOException("c is out of order");
            IllegalStateException undoFailure = new IllegalStateException("b cannot be undone");
            CallLog log = context.getBean(CallLog.class).failForwards("c", failure).failCompensation("b", undoFailure);

            Throwable thrown = catchThrowable(() -> context.getBean(ThreeStepSaga.class).run("o1"));

            assertThat(log.calls()).containsExactly("a", "b", "c", "undo c", "undo b", "undo a");
            CompensationFailedException incomplete = (CompensationFailedException) thrown;
            assertThat(incomplete.getCause()).isSameAs(failure);
            assertThat(incomplete.failures()).containsExactly(undoFailure);
            assertThat(incomplete.pending()).containsExactly("b");
        });
    }

    @Test
    void everyFailingCompensationIsCollectedUnderContinueInTheOrderTheyFailed() {
        runner.withPropertyValues("reversible.rollback-policy=continue").run(context -> {
            IllegalStateException failure = new IllegalStateException("rejected");
            IllegalStateException cFailure = new IllegalStateException("c cannot be undone");
            IllegalStateException aFailure = new IllegalStateException("a cannot be undone");
            CallLog log = context.getBean(CallLog.class).failCompensation("c", cFailure).failCompensation("a", aFailure);

            Throwable thrown = catchThrowable(() -> context.getBean(ThreeStepSaga.class).runThenThrow("o1", failure));

            assertThat(log.calls()).containsExactly("a", "b", "c", "undo c", "undo b", "undo a");
            CompensationFailedException incomplete = (CompensationFailedException) thrown;
            assertThat(incomplete.getCause()).isSameAs(failure);
            assertThat(incomplete.failures()).containsExactly(cFailure, aFailure);
            assertThat(incomplete.pending()).containsExactly("c", "a");
        });
    }

    @Test
    void failedStepWhoseOwnCompensationFailsLeavesEveryStepPendingUnderAbort() {
        runner.run(context -> {
            IllegalStateException failure = new IllegalStateException("c is out of order");
            IllegalStateException undoFailure = new IllegalStateException("c cannot be undone");
            CallLog log = context.getBean(CallLog.class).failForwards("c", failure).failCompensation("c", undoFailure);

            Throwable thrown = catchThrowable(() -> context.getBean(ThreeStepSaga.class).run("o1"));

            assertThat(log.calls()).containsExactly("a", "b", "c", "undo c");
            CompensationFailedException incomplete = (CompensationFailedException) thrown;
            assertThat(incomplete.getCause()).isSameAs(failure);
            assertThat(incomplete.failures()).containsExactly(undoFailure);
            assertThat(incomplete.pending()).containsExactly("c", "b", "a");
        });
    }

    @Test
    void failedStepWhoseOwnCompensationFailsStillUndoesTheOthersUnderContinue() {
        runner.withPropertyValues("reversible.rollback-policy=continue").run(context -> {
            IllegalStateException failure = new IllegalStateException("c is out of order");
            IllegalStateException undoFailure = new IllegalStateException("c cannot be undone");
            CallLog log = context.getBean(CallLog.class).failForwards("c", failure).failCompensation("c", undoFailure);

            Throwable thrown = catchThrowable(() -> context.getBean(ThreeStepSaga.class).run("o1"));

            assertThat(log.calls()).containsExactly("a", "b", "c", "undo c", "undo b", "undo a");
            CompensationFailedException incomplete = (CompensationFailedException) thrown;
            assertThat(incomplete.getCause()).isSameAs(failure);
            assertThat(incomplete.failures()).containsExactly(undoFailure);
            assertThat(incomplete.pending()).containsExactly("c");
        });
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
        ThreeStepSaga threeStepSaga(Steps steps) {
            return new ThreeStepSaga(steps);
        }
    }

    static class ThreeStepSaga {

        private final Steps steps;

        ThreeStepSaga(Steps steps) {
            this.steps = steps;
        }

        @ReversibleSaga
        public String run(String order) throws Exception {
            return "done " + steps.c(steps.b(steps.a(order)));
        }

        @ReversibleSaga
        public String runThenThrow(String order, Throwable failure) throws Exception {
            steps.c(steps.b(steps.a(order)));
            if (failure instanceof Error error) {
                throw error;
            }
            throw (Exception) failure;
        }
    }
}
