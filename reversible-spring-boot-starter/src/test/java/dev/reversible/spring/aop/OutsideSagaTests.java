package dev.reversible.spring.aop;

import java.io.IOException;

import dev.reversible.spring.CompensationContext;
import dev.reversible.spring.annotation.Compensate;
import dev.reversible.spring.annotation.ReversibleAction;
import dev.reversible.spring.annotation.ReversibleSaga;
import dev.reversible.spring.statistics.RollbackRecord;
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
 * {@code reversible.outside-saga}: an action called outside any saga is a one-step saga named after the
 * action ({@code execute}, the default), or refused before it runs ({@code fail}).
 */
class OutsideSagaTests {

    private final ApplicationContextRunner runner = SagaContexts.runner().withUserConfiguration(Config.class);

    @Test
    void actionOutsideASagaReturnsItsResultAsAOneStepSagaNamedAfterTheAction() {
        runner.run(context -> {
            CallLog log = context.getBean(CallLog.class);

            assertThat(context.getBean(Steps.class).a("x")).isEqualTo("A(x)");

            assertThat(log.calls()).containsExactly("a");
            SagaStatistics statistics = context.getBean(SagaStatistics.class);
            assertThat(statistics.findSaga("a").started()).isEqualTo(1);
            assertThat(statistics.findSaga("a").completed()).isEqualTo(1);
            assertThat(statistics.totals().started()).isEqualTo(1);
            assertThat(sagaCount(context.getBean(MeterRegistry.class), "a", "completed")).isEqualTo(1);
        });
    }

    @Test
    void failedActionOutsideASagaIsCompensatedThenItsExceptionPropagates() {
        runner.run(context -> {
            IOException failure = new IOException("a fails");
            CallLog log = context.getBean(CallLog.class).failForwards("a", failure);

            Throwable thrown = catchThrowable(() -> context.getBean(Steps.class).a("x"));

            assertThat(thrown).isSameAs(failure);
            assertThat(log.calls()).containsExactly("a", "undo a");
            CompensationContext compensation = log.compensationOf("a").context();
            assertThat(compensation.sagaName()).isEqualTo("a");
            assertThat(compensation.stepName()).isEqualTo("a");
            assertThat(compensation.stepIndex()).isZero();
            assertThat(compensation.failure()).isSameAs(failure);
            assertThat(compensation.result()).isNull();
            RollbackRecord rollback = context.getBean(SagaStatistics.class).recentRollbacks().get(0);
            assertThat(rollback.sagaName()).isEqualTo("a");
            assertThat(rollback.sagaId()).isEqualTo(compensation.sagaId());
            assertThat(rollback.failedStep()).isEqualTo("a");
            assertThat(rollback.compensated()).containsExactly("a");
            assertThat(sagaCount(context.getBean(MeterRegistry.class), "a", "compensated")).isEqualTo(1);
        });
    }

    @Test
    void oneStepSagaIsNamedAfterTheActionsOwnName() {
        runner.run(context -> {
            CallLog log = context.getBean(CallLog.class);

            Throwable thrown = catchThrowable(() -> context.getBean(Inventory.class).reserve("sku-1"));

            assertThat(thrown).hasMessage("out of stock");
            assertThat(log.calls()).containsExactly("reserve sku-1", "release sku-1 in reserveStock#0");
            assertThat(context.getBean(SagaStatistics.class).findSaga("reserveStock").compensated()).isEqualTo(1);
            assertThat(context.getBean(SagaStatistics.class).findSaga("reserve")).isNull();
        });
    }

    @Test
    void everyOneStepSagaIsASagaOfItsOwn() {
        runner.run(context -> {
            Steps steps = context.getBean(Steps.class);
            CallLog log = context.getBean(CallLog.class);
            steps.a("x");
            log.failForwards("b", new IllegalStateException("b fails"));

            catchThrowable(() -> steps.b("y"));

            assertThat(log.calls()).containsExactly("a", "b", "undo b");
            assertThat(log.compensationOf("b").context().stepIndex()).isZero();
        });
    }

    @Test
    void actionOutsideASagaIsRefusedBeforeItRunsWhenOutsideSagaIsFail() {
        runner.withPropertyValues("reversible.outside-saga=fail").run(context -> {
            CallLog log = context.getBean(CallLog.class);

            Throwable thrown = catchThrowable(() -> context.getBean(Steps.class).a("x"));

            assertThat(thrown).isInstanceOf(IllegalStateException.class).hasMessageContaining("Steps.a")
                    .hasMessageContaining("outside");
            assertThat(log.calls()).isEmpty();
            SagaStatistics statistics = context.getBean(SagaStatistics.class);
            assertThat(statistics.totals().started()).isZero();
            assertThat(statistics.actions().get("a").completed()).isZero();
            assertThat(statistics.actions().get("a").failed()).isZero();
        });
    }

    @Test
    void actionInsideASagaStillRunsWhenOutsideSagaIsFail() {
        runner.withPropertyValues("reversible.outside-saga=fail").run(context -> {
            CallLog log = context.getBean(CallLog.class).failForwards("b", new IllegalStateException("b fails"));

            Throwable thrown = catchThrowable(() -> context.getBean(TwoStepSaga.class).run("o1"));

            assertThat(thrown).hasMessage("b fails");
            assertThat(log.calls()).containsExactly("a", "b", "undo b", "undo a");
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
        Inventory inventory(CallLog callLog) {
            return new Inventory(callLog);
        }

        @Bean
        TwoStepSaga twoStepSaga(Steps steps) {
            return new TwoStepSaga(steps);
        }
    }

    static class Inventory {

        private final CallLog log;

        Inventory(CallLog log) {
            this.log = log;
        }

        @ReversibleAction("reserveStock")
        public String reserve(String sku) {
            log.add("reserve " + sku);
            throw new IllegalStateException("out of stock");
        }

        @Compensate("reserveStock")
        public void release(String sku, CompensationContext context) {
            log.add("release " + sku + " in " + context.sagaName() + "#" + context.stepIndex());
        }
    }

    static class TwoStepSaga {

        private final Steps steps;

        TwoStepSaga(Steps steps) {
            this.steps = steps;
        }

        @ReversibleSaga
        public String run(String order) throws Exception {
            return steps.b(steps.a(order));
        }
    }
}
