package dev.reversible.spring.aop;

import dev.reversible.core.CompensationFailedException;
import dev.reversible.spring.annotation.ReversibleSaga;
import dev.reversible.spring.statistics.SagaStatistics;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * {@code reversible.compensation.retry.*}: a failing handler is called again, up to the maximum number of
 * attempts, with {@code attempt()} counting 1, 2, 3 and the rest of the context unchanged (an idempotency key).
 */
class CompensationRetryTests {

    private final ApplicationContextRunner runner = SagaContexts.runner().withUserConfiguration(Config.class)
            .withPropertyValues("reversible.compensation.retry.max-attempts=3", "reversible.compensation.retry.backoff=1ms");

    @Test
    void handlerThatSucceedsOnItsThirdAttemptCompletesTheRollback() {
        runner.run(context -> {
            IllegalStateException failure = new IllegalStateException("c fails");
            CallLog log = context.getBean(CallLog.class).failForwards("c", failure)
                    .failCompensation("b", new IllegalStateException("b not yet"), 2);

            Throwable thrown = catchThrowable(() -> context.getBean(RetrySaga.class).run("o1"));

            assertThat(thrown).isSameAs(failure);
            assertThat(log.calls()).containsExactly("a", "b", "c", "undo c", "undo b", "undo b", "undo b", "undo a");
            assertThat(log.compensations()).extracting(c -> c.action() + "@" + c.context().attempt())
                    .containsExactly("c@1", "b@1", "b@2", "b@3", "a@1");
            SagaStatistics statistics = context.getBean(SagaStatistics.class);
            assertThat(statistics.totals().compensated()).isEqualTo(1);
            assertThat(statistics.actions().get("b").compensated()).isEqualTo(1);
            assertThat(statistics.actions().get("b").compensationFailed()).isZero();
        });
    }

    @Test
    void everyAttemptSeesTheSameSagaIdStepIndexAndValues() {
        runner.run(context -> {
            CallLog log = context.getBean(CallLog.class).failForwards("c", new IllegalStateException("c fails"))
                    .failCompensation("b", new IllegalStateException("b not yet"), 2);

            catchThrowable(() -> context.getBean(RetrySaga.class).run("o1"));

            var attemptsOfB = log.compensations().stream().filter(c -> c.action().equals("b")).toList();
            assertThat(attemptsOfB).hasSize(3);
            assertThat(attemptsOfB).extracting(c -> c.context().sagaId()).containsOnly(log.compensationOf("a").context().sagaId());
            assertThat(attemptsOfB).extracting(c -> c.context().stepIndex()).containsOnly(1);
            assertThat(attemptsOfB).extracting(CallLog.Compensation::input).containsOnly("A(o1)");
            assertThat(attemptsOfB).extracting(CallLog.Compensation::result).containsOnly("B(A(o1))");
        });
    }

    @Test
    void handlerFailingOnEveryAttemptFailsTheRollbackAfterTheLastAttempt() {
        runner.run(context -> {
            IllegalStateException failure = new IllegalStateException("c fails");
            IllegalStateException undoFailure = new IllegalStateException("b never undone");
            CallLog log = context.getBean(CallLog.class).failForwards("c", failure).failCompensation("b", undoFailure);

            Throwable thrown = catchThrowable(() -> context.getBean(RetrySaga.class).run("o1"));

            assertThat(log.compensations()).extracting(c -> c.action() + "@" + c.context().attempt())
                    .containsExactly("c@1", "b@1", "b@2", "b@3");
            CompensationFailedException incomplete = (CompensationFailedException) thrown;
            assertThat(incomplete.getCause()).isSameAs(failure);
            assertThat(incomplete.failures()).containsExactly(undoFailure);
            assertThat(incomplete.pending()).containsExactly("b", "a");
            assertThat(context.getBean(SagaStatistics.class).actions().get("b").compensationFailed()).isEqualTo(1);
        });
    }

    @Test
    void failedStepsOwnCompensationIsRetriedToo() {
        runner.run(context -> {
            IllegalStateException failure = new IllegalStateException("c fails");
            CallLog log = context.getBean(CallLog.class).failForwards("c", failure)
                    .failCompensation("c", new IllegalStateException("c not yet"), 1);

            Throwable thrown = catchThrowable(() -> context.getBean(RetrySaga.class).run("o1"));

            assertThat(thrown).isSameAs(failure);
            assertThat(log.compensations()).extracting(c -> c.action() + "@" + c.context().attempt())
                    .containsExactly("c@1", "c@2", "b@1", "a@1");
            assertThat(log.compensations().get(1).context().failure()).isSameAs(failure);
        });
    }

    @Test
    void withoutRetryEachHandlerIsCalledOnce() {
        SagaContexts.runner().withUserConfiguration(Config.class).run(context -> {
            CallLog log = context.getBean(CallLog.class).failForwards("c", new IllegalStateException("c fails"))
                    .failCompensation("b", new IllegalStateException("b not yet"), 1);

            Throwable thrown = catchThrowable(() -> context.getBean(RetrySaga.class).run("o1"));

            assertThat(thrown).isInstanceOf(CompensationFailedException.class);
            assertThat(log.compensations()).extracting(c -> c.action() + "@" + c.context().attempt()).containsExactly("c@1", "b@1");
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
        RetrySaga retrySaga(Steps steps) {
            return new RetrySaga(steps);
        }
    }

    static class RetrySaga {

        private final Steps steps;

        RetrySaga(Steps steps) {
            this.steps = steps;
        }

        @ReversibleSaga
        public String run(String order) throws Exception {
            return steps.c(steps.b(steps.a(order)));
        }
    }
}
