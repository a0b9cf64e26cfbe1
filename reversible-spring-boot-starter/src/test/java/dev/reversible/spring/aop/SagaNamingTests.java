package dev.reversible.spring.aop;

import dev.reversible.spring.annotation.ReversibleSaga;
import dev.reversible.spring.statistics.SagaStatistics;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.aop.support.AopUtils;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static dev.reversible.spring.aop.SagaContexts.sagaCount;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Saga names in the compensation context, the statistics and the meters: {@code SimpleClassName.methodName}
 * of the user's class by default (never the proxy's), or the annotation's name; a class-level
 * {@code @ReversibleSaga} makes each public method a saga.
 */
class SagaNamingTests {

    private final ApplicationContextRunner runner = SagaContexts.runner().withUserConfiguration(Config.class);

    @Test
    void defaultNameIsTheUserClassesSimpleNameAndTheMethodNeverTheProxys() {
        runner.run(context -> {
            NamedSagas sagas = context.getBean(NamedSagas.class);
            CallLog log = context.getBean(CallLog.class).failForwards("b", new IllegalStateException("b fails"));
            assertThat(AopUtils.isCglibProxy(sagas)).isTrue();
            assertThat(sagas.getClass().getSimpleName()).isNotEqualTo("NamedSagas");

            catchThrowable(() -> sagas.byDefault("o1"));

            assertThat(log.compensations()).extracting(c -> c.context().sagaName()).containsOnly("NamedSagas.byDefault");
            SagaStatistics statistics = context.getBean(SagaStatistics.class);
            assertThat(statistics.findSaga("NamedSagas.byDefault").compensated()).isEqualTo(1);
            assertThat(statistics.recentRollbacks().get(0).sagaName()).isEqualTo("NamedSagas.byDefault");
            assertThat(statistics.sagas().keySet()).noneMatch(name -> name.contains("$$"));
            assertThat(sagaCount(context.getBean(MeterRegistry.class), "NamedSagas.byDefault", "compensated")).isEqualTo(1);
        });
    }

    @Test
    void explicitNameReplacesTheDefault() {
        runner.run(context -> {
            NamedSagas sagas = context.getBean(NamedSagas.class);
            CallLog log = context.getBean(CallLog.class).failForwards("b", new IllegalStateException("b fails"));

            catchThrowable(() -> sagas.byValue("o1"));
            catchThrowable(() -> sagas.byName("o1"));

            assertThat(log.compensations()).extracting(c -> c.context().sagaName())
                    .containsExactly("placeOrder", "placeOrder", "cancelOrder", "cancelOrder");
            SagaStatistics statistics = context.getBean(SagaStatistics.class);
            assertThat(statistics.findSaga("placeOrder").compensated()).isEqualTo(1);
            assertThat(statistics.findSaga("cancelOrder").compensated()).isEqualTo(1);
            assertThat(statistics.findSaga("NamedSagas.byValue")).isNull();
        });
    }

    @Test
    void classLevelSagaMakesEachPublicMethodASagaNamedAfterTheClassAndMethod() {
        runner.run(context -> {
            ClassLevelSaga saga = context.getBean(ClassLevelSaga.class);
            CallLog log = context.getBean(CallLog.class);
            IllegalStateException failure = new IllegalStateException("second fails");

            assertThat(saga.first("o1")).isEqualTo("B(A(o1))");
            Throwable thrown = catchThrowable(() -> saga.second("o2", failure));

            assertThat(thrown).isSameAs(failure);
            assertThat(log.calls()).containsExactly("a", "b", "a", "b", "undo b", "undo a");
            assertThat(log.compensations()).extracting(c -> c.context().sagaName()).containsOnly("ClassLevelSaga.second");
            SagaStatistics statistics = context.getBean(SagaStatistics.class);
            assertThat(statistics.findSaga("ClassLevelSaga.first").completed()).isEqualTo(1);
            assertThat(statistics.findSaga("ClassLevelSaga.second").compensated()).isEqualTo(1);
        });
    }

    @Test
    void methodAnnotationOfAClassLevelSagaWins() {
        runner.run(context -> {
            CallLog log = context.getBean(CallLog.class).failForwards("b", new IllegalStateException("b fails"));

            catchThrowable(() -> context.getBean(ClassLevelSaga.class).renamed("o1"));

            assertThat(log.compensations()).extracting(c -> c.context().sagaName()).containsOnly("special");
            assertThat(context.getBean(SagaStatistics.class).findSaga("ClassLevelSaga.renamed")).isNull();
        });
    }

    @Test
    void nonPublicMethodOfAClassLevelSagaIsNoSagaSoItsActionsRunAsOneStepSagas() {
        runner.run(context -> {
            CallLog log = context.getBean(CallLog.class).failForwards("b", new IllegalStateException("b fails"));

            Throwable thrown = catchThrowable(() -> context.getBean(ClassLevelSaga.class).notPublic("o1"));

            assertThat(thrown).hasMessage("b fails");
            // a completed as a one-step saga of its own, so b's failure undoes b only
            assertThat(log.calls()).containsExactly("a", "b", "undo b");
            SagaStatistics statistics = context.getBean(SagaStatistics.class);
            assertThat(statistics.findSaga("a").completed()).isEqualTo(1);
            assertThat(statistics.findSaga("b").compensated()).isEqualTo(1);
            assertThat(statistics.findSaga("ClassLevelSaga.notPublic")).isNull();
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
        NamedSagas namedSagas(Steps steps) {
            return new NamedSagas(steps);
        }

        @Bean
        ClassLevelSaga classLevelSaga(Steps steps) {
            return new ClassLevelSaga(steps);
        }
    }

    static class NamedSagas {

        private final Steps steps;

        NamedSagas(Steps steps) {
            this.steps = steps;
        }

        @ReversibleSaga
        public String byDefault(String order) throws Exception {
            return steps.b(steps.a(order));
        }

        @ReversibleSaga("placeOrder")
        public String byValue(String order) throws Exception {
            return steps.b(steps.a(order));
        }

        @ReversibleSaga(name = "cancelOrder")
        public String byName(String order) throws Exception {
            return steps.b(steps.a(order));
        }
    }

    @ReversibleSaga
    static class ClassLevelSaga {

        private final Steps steps;

        ClassLevelSaga(Steps steps) {
            this.steps = steps;
        }

        public String first(String order) throws Exception {
            return steps.b(steps.a(order));
        }

        public String second(String order, RuntimeException failure) throws Exception {
            steps.b(steps.a(order));
            throw failure;
        }

        @ReversibleSaga("special")
        public String renamed(String order) throws Exception {
            return steps.b(steps.a(order));
        }

        String notPublic(String order) throws Exception {
            return steps.b(steps.a(order));
        }
    }
}
