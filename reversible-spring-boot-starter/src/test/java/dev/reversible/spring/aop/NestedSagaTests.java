package dev.reversible.spring.aop;

import dev.reversible.spring.annotation.ReversibleSaga;
import dev.reversible.spring.statistics.SagaStatistics;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static dev.reversible.spring.aop.SagaContexts.sagaCount;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A {@code @ReversibleSaga} called from another one is a step of the outer saga (core rule 8): its own
 * failure undoes only its own steps, the outer's failure undoes the inner's steps too, and the
 * compensation context always speaks of the outermost saga.
 */
class NestedSagaTests {

    private final ApplicationContextRunner runner = SagaContexts.runner().withUserConfiguration(Config.class);

    @Test
    void innerFailureCaughtByTheOuterUndoesOnlyTheInnersSteps() {
        runner.run(context -> {
            IllegalStateException failure = new IllegalStateException("c fails");
            CallLog log = context.getBean(CallLog.class).failForwards("c", failure);

            String result = context.getBean(OuterSaga.class).catchingInnerFailure("o1");

            assertThat(result).isEqualTo("D(o1)");
            assertThat(log.calls()).containsExactly("a", "b", "c", "undo c", "undo b", "caught c fails", "d");
            assertThat(log.compensationOf("c").context().failure()).isSameAs(failure);
            assertThat(log.compensationOf("b").context().failure()).isNull();
        });
    }

    @Test
    void innerSagaIsNotASagaOfItsOwnInStatisticsOrMetrics() {
        runner.run(context -> {
            context.getBean(CallLog.class).failForwards("c", new IllegalStateException("c fails"));

            context.getBean(OuterSaga.class).catchingInnerFailure("o1");

            SagaStatistics statistics = context.getBean(SagaStatistics.class);
            assertThat(statistics.totals().started()).isEqualTo(1);
            assertThat(statistics.totals().completed()).isEqualTo(1);
            assertThat(statistics.totals().compensated()).isZero();
            assertThat(statistics.findSaga("InnerSaga.run").started()).isZero();
            assertThat(statistics.recentRollbacks()).isEmpty();
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(sagaCount(registry, "OuterSaga.catchingInnerFailure", "completed")).isEqualTo(1);
            assertThat(sagaCount(registry, "InnerSaga.run", "compensated")).isZero();
            assertThat(sagaCount(registry, "InnerSaga.run", "completed")).isZero();
        });
    }

    @Test
    void outerFailureAfterACaughtInnerFailureUndoesOnlyWhatIsLeft() {
        runner.run(context -> {
            CallLog log = context.getBean(CallLog.class).failForwards("c", new IllegalStateException("c fails"));
            IllegalArgumentException failure = new IllegalArgumentException("outer fails");

            Throwable thrown = catchThrowable(() -> context.getBean(OuterSaga.class).catchingInnerFailureThenThrowing("o1", failure));

            assertThat(thrown).isSameAs(failure);
            assertThat(log.calls()).containsExactly("a", "b", "c", "undo c", "undo b", "caught c fails", "d", "undo d", "undo a");
        });
    }

    @Test
    void outerFailureUndoesTheInnersStepsTooInReverseOrder() {
        runner.run(context -> {
            CallLog log = context.getBean(CallLog.class);
            IllegalArgumentException failure = new IllegalArgumentException("outer fails");

            Throwable thrown = catchThrowable(() -> context.getBean(OuterSaga.class).failingAfterInner("o1", failure));

            assertThat(thrown).isSameAs(failure);
            assertThat(log.calls()).containsExactly("a", "b", "c", "d", "undo d", "undo c", "undo b", "undo a");
            assertThat(log.compensations()).extracting(CallLog.Compensation::input).containsExactly("o1", "B(o1)", "o1", "o1");
        });
    }

    @Test
    void innerFailureTheOuterDoesNotCatchUndoesEveryStepOnce() {
        runner.run(context -> {
            IllegalStateException failure = new IllegalStateException("c fails");
            CallLog log = context.getBean(CallLog.class).failForwards("c", failure);

            Throwable thrown = catchThrowable(() -> context.getBean(OuterSaga.class).notCatching("o1"));

            assertThat(thrown).isSameAs(failure);
            assertThat(log.calls()).containsExactly("a", "b", "c", "undo c", "undo b", "undo a");
            SagaStatistics statistics = context.getBean(SagaStatistics.class);
            assertThat(statistics.recentRollbacks()).hasSize(1);
            assertThat(statistics.recentRollbacks().get(0).sagaName()).isEqualTo("OuterSaga.notCatching");
            assertThat(statistics.recentRollbacks().get(0).compensated()).containsExactly("c", "b", "a");
            assertThat(statistics.totals().compensated()).isEqualTo(1);
        });
    }

    @Test
    void compensationContextNamesTheOutermostSagaAndCountsStepsAcrossNestedSagasInStartOrder() {
        runner.run(context -> {
            CallLog log = context.getBean(CallLog.class);

            catchThrowable(() -> context.getBean(OuterSaga.class).failingAfterInner("o1", new IllegalArgumentException("outer fails")));

            assertThat(log.compensations()).extracting(c -> c.context().stepName()).containsExactly("d", "c", "b", "a");
            assertThat(log.compensations()).extracting(c -> c.context().stepIndex()).containsExactly(3, 2, 1, 0);
            assertThat(log.compensations()).extracting(c -> c.context().sagaName()).containsOnly("OuterSaga.failingAfterInner");
            String sagaId = log.compensationOf("a").context().sagaId();
            assertThat(log.compensations()).extracting(c -> c.context().sagaId()).containsOnly(sagaId);
            assertThat(context.getBean(SagaStatistics.class).recentRollbacks().get(0).sagaId()).isEqualTo(sagaId);
        });
    }

    @Test
    void stepIndexCountsTheFailedStepsOfAnInnerSagaToo() {
        runner.run(context -> {
            CallLog log = context.getBean(CallLog.class).failForwards("c", new IllegalStateException("c fails"));

            catchThrowable(() -> context.getBean(OuterSaga.class).catchingInnerFailureThenThrowing("o1",
                    new IllegalArgumentException("outer fails")));

            assertThat(log.compensations()).extracting(c -> c.context().stepName()).containsExactly("c", "b", "d", "a");
            assertThat(log.compensations()).extracting(c -> c.context().stepIndex()).containsExactly(2, 1, 3, 0);
            assertThat(log.compensations()).extracting(c -> c.context().sagaName()).containsOnly("OuterSaga.catchingInnerFailureThenThrowing");
            assertThat(log.compensations()).extracting(c -> c.context().sagaId()).containsOnly(log.compensationOf("a").context().sagaId());
        });
    }

    @Test
    void innerSagaCalledOnItsOwnIsAnOutermostSagaWithItsOwnNameAndIndexes() {
        runner.run(context -> {
            CallLog log = context.getBean(CallLog.class);
            catchThrowable(() -> context.getBean(OuterSaga.class).failingAfterInner("o1", new IllegalArgumentException("outer fails")));
            log.failForwards("c", new IllegalStateException("c fails"));

            catchThrowable(() -> context.getBean(InnerSaga.class).run("o2"));

            CallLog.Compensation c = log.compensations().get(4);
            CallLog.Compensation b = log.compensations().get(5);
            assertThat(log.compensations()).hasSize(6);
            assertThat(c.input()).isEqualTo("B(o2)");
            assertThat(c.context().sagaName()).isEqualTo("InnerSaga.run");
            assertThat(c.context().stepIndex()).isEqualTo(1);
            assertThat(b.context().stepIndex()).isZero();
            assertThat(c.context().sagaId()).isEqualTo(b.context().sagaId())
                    .isNotEqualTo(log.compensationOf("a").context().sagaId());
            assertThat(context.getBean(SagaStatistics.class).findSaga("InnerSaga.run").compensated()).isEqualTo(1);
        });
    }

    @Test
    void innerSagaCalledTwiceIsTwoStepsOfTheOuterUndoneInReverseOrder() {
        runner.run(context -> {
            CallLog log = context.getBean(CallLog.class);
            IllegalArgumentException failure = new IllegalArgumentException("outer fails");

            catchThrowable(() -> context.getBean(OuterSaga.class).innerTwiceThenThrowing("o1", failure));

            assertThat(log.calls()).containsExactly("b", "c", "b", "c", "undo c", "undo b", "undo c", "undo b");
            assertThat(log.compensations()).extracting(CallLog.Compensation::input).containsExactly("B(o2)", "o2", "B(o1)", "o1");
            assertThat(log.compensations()).extracting(c -> c.context().stepIndex()).containsExactly(3, 2, 1, 0);
        });
    }

    @Test
    void innerSagaWithNoRollbackForKeepsItsCompletedStepsForTheOutersRollback() {
        runner.run(context -> {
            Pending pending = new Pending("c is pending");
            CallLog log = context.getBean(CallLog.class).failForwards("c", pending);
            IllegalArgumentException failure = new IllegalArgumentException("outer fails");

            Throwable thrown = catchThrowable(() -> context.getBean(OuterSaga.class).tolerantInnerThenThrowing("o1", failure));

            assertThat(thrown).isSameAs(failure);
            assertThat(log.calls()).containsExactly("a", "b", "c", "undo c", "caught c is pending", "d", "undo d", "undo b", "undo a");
        });
    }

    /** A failure the tolerant inner saga does not roll back for. */
    static class Pending extends RuntimeException {

        private static final long serialVersionUID = 1L;

        Pending(String message) {
            super(message);
        }
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
        InnerSaga innerSaga(Steps steps) {
            return new InnerSaga(steps);
        }

        @Bean
        OuterSaga outerSaga(Steps steps, InnerSaga innerSaga, CallLog callLog) {
            return new OuterSaga(steps, innerSaga, callLog);
        }
    }

    static class InnerSaga {

        private final Steps steps;

        InnerSaga(Steps steps) {
            this.steps = steps;
        }

        @ReversibleSaga
        public String run(String order) throws Exception {
            return steps.c(steps.b(order));
        }

        @ReversibleSaga(noRollbackFor = Pending.class)
        public String tolerant(String order) throws Exception {
            return steps.c(steps.b(order));
        }
    }

    static class OuterSaga {

        private final Steps steps;
        private final InnerSaga inner;
        private final CallLog log;

        OuterSaga(Steps steps, InnerSaga inner, CallLog log) {
            this.steps = steps;
            this.inner = inner;
            this.log = log;
        }

        @ReversibleSaga
        public String catchingInnerFailure(String order) throws Exception {
            steps.a(order);
            try {
                inner.run(order);
            } catch (IllegalStateException e) {
                log.add("caught " + e.getMessage());
            }
            return steps.d(order);
        }

        @ReversibleSaga
        public String catchingInnerFailureThenThrowing(String order, RuntimeException failure) throws Exception {
            catchingInnerFailureBody(order);
            throw failure;
        }

        @ReversibleSaga
        public String failingAfterInner(String order, RuntimeException failure) throws Exception {
            steps.a(order);
            inner.run(order);
            steps.d(order);
            throw failure;
        }

        @ReversibleSaga
        public String notCatching(String order) throws Exception {
            steps.a(order);
            inner.run(order);
            return steps.d(order);
        }

        @ReversibleSaga
        public String innerTwiceThenThrowing(String order, RuntimeException failure) throws Exception {
            inner.run("o1");
            inner.run("o2");
            throw failure;
        }

        @ReversibleSaga
        public String tolerantInnerThenThrowing(String order, RuntimeException failure) throws Exception {
            steps.a(order);
            try {
                inner.tolerant(order);
            } catch (Pending e) {
                log.add("caught " + e.getMessage());
            }
            steps.d(order);
            throw failure;
        }

        private void catchingInnerFailureBody(String order) throws Exception {
            steps.a(order);
            try {
                inner.run(order);
            } catch (IllegalStateException e) {
                log.add("caught " + e.getMessage());
            }
            steps.d(order);
        }
    }
}
