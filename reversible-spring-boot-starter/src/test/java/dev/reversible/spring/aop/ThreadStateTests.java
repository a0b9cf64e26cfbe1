package dev.reversible.spring.aop;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import dev.reversible.core.CompensationFailedException;
import dev.reversible.core.SagaExecutor;
import dev.reversible.spring.CompensationContext;
import dev.reversible.spring.annotation.Compensate;
import dev.reversible.spring.annotation.ReversibleAction;
import dev.reversible.spring.annotation.ReversibleSaga;
import dev.reversible.spring.logging.SagaLoggingListener;
import dev.reversible.spring.statistics.SagaStatistics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One pooled thread reused for many sagas — completed, failed, with failing compensations, with Errors,
 * nested, tolerated, and actions outside any saga — keeps no saga state from one to the next: after each,
 * the thread has no saga bound, an action outside a saga is a fresh one-step saga (or refused), and the
 * next saga counts its steps from 0.
 */
class ThreadStateTests {

    private static final int ROUNDS = 15;

    @BeforeAll
    static void silenceRollbackLogging() {
        // hundreds of deliberate rollbacks: their WARN/ERROR lines would only bury the test output
        LoggingSystem.get(ThreadStateTests.class.getClassLoader()).setLogLevel(SagaLoggingListener.class.getName(), LogLevel.OFF);
    }

    @AfterAll
    static void restoreRollbackLogging() {
        LoggingSystem.get(ThreadStateTests.class.getClassLoader()).setLogLevel(SagaLoggingListener.class.getName(), null);
    }

    @ParameterizedTest(name = "reversible.outside-saga={0}")
    @ValueSource(strings = { "execute", "fail" })
    void pooledThreadCarriesNoSagaStateFromOneSagaToTheNext(String outsideSaga) {
        SagaContexts.runner().withUserConfiguration(Config.class).withPropertyValues("reversible.outside-saga=" + outsideSaga)
                .run(context -> {
                    boolean refuseOutside = outsideSaga.equals("fail");
                    List<Scenario> scenarios = scenarios(context, refuseOutside);
                    ExecutorService pool = Executors.newSingleThreadExecutor();
                    try {
                        Random random = new Random(42);
                        Set<Thread> threads = Collections.synchronizedSet(new HashSet<>());
                        Set<String> sagaIds = new HashSet<>();
                        int probes = 0;
                        for (int round = 0; round < ROUNDS; round++) {
                            List<Scenario> order = new ArrayList<>(scenarios);
                            Collections.shuffle(order, random);
                            for (Scenario scenario : order) {
                                Throwable thrown = pool.submit(() -> {
                                    threads.add(Thread.currentThread());
                                    return outcome(scenario.call());
                                }).get(10, TimeUnit.SECONDS);
                                assertThat(thrown).as(scenario.name()).satisfies(t -> scenario.check(t));

                                Probe probe = pool.submit(() -> probe(context)).get(10, TimeUnit.SECONDS);
                                probes++;
                                assertThat(probe.boundSaga()).as("saga bound after " + scenario.name()).isNull();
                                assertThat(probe.firstStep().stepIndex()).as("first step index after " + scenario.name()).isZero();
                                assertThat(probe.firstStep().sagaName()).isEqualTo("ThreadSaga.probe");
                                assertThat(sagaIds.add(probe.firstStep().sagaId())).as("fresh saga id after " + scenario.name()).isTrue();
                                if (refuseOutside) {
                                    assertThat(probe.outsideCall()).as("outside call after " + scenario.name())
                                            .isInstanceOf(IllegalStateException.class).hasMessageContaining("Hazards.outside");
                                } else {
                                    assertThat(probe.outsideCall()).as("outside call after " + scenario.name()).isNull();
                                    assertThat(context.getBean(SagaStatistics.class).findSaga("outside").completed()).isEqualTo(probes);
                                }
                            }
                        }
                        assertThat(threads).hasSize(1);
                        assertThat(context.getBean(SagaStatistics.class).totals().active()).isZero();
                        assertThat(context.getBean(SagaStatistics.class).findSaga("ThreadSaga.probe").compensated()).isEqualTo(probes);
                    } finally {
                        pool.shutdownNow();
                    }
                });
    }

    /** What the pooled thread looks like after a scenario. */
    record Probe(Object boundSaga, CompensationContext firstStep, Throwable outsideCall) {
    }

    private static Probe probe(ApplicationContext context) {
        Object bound = context.getBean(SagaExecutor.class).currentScope();
        CallLog log = context.getBean(CallLog.class);
        int before = log.compensations().size();
        Throwable probeSaga = outcome(() -> context.getBean(ThreadSaga.class).probe("p"));
        if (!(probeSaga instanceof ProbeFailure)) {
            throw new AssertionError("the probe saga should fail with its own failure", probeSaga);
        }
        List<CallLog.Compensation> compensations = log.compensations();
        if (compensations.size() != before + 1) {
            throw new AssertionError("the probe saga should compensate its one step, compensated " + compensations.subList(before, compensations.size()));
        }
        Throwable outside = outcome(() -> context.getBean(Hazards.class).outside());
        return new Probe(bound, compensations.get(before).context(), outside);
    }

    private static Throwable outcome(ThrowingRunnable call) {
        try {
            call.run();
            return null;
        } catch (Throwable e) {
            return e;
        }
    }

    interface ThrowingRunnable {
        void run() throws Throwable;
    }

    /** A named call and the outcome it must have. */
    record Scenario(String name, ThrowingRunnable call, Class<? extends Throwable> expected) {

        void check(Throwable thrown) {
            if (expected == null) {
                assertThat(thrown).isNull();
            } else {
                assertThat(thrown).isInstanceOf(expected);
            }
        }
    }

    private static List<Scenario> scenarios(ApplicationContext context, boolean refuseOutside) {
        ThreadSaga saga = context.getBean(ThreadSaga.class);
        Hazards hazards = context.getBean(Hazards.class);
        List<Scenario> scenarios = new ArrayList<>(List.of(
                new Scenario("completed saga", () -> saga.completes("o"), null),
                new Scenario("body fails", () -> saga.failsInBody("o"), IllegalStateException.class),
                new Scenario("step fails", () -> saga.failsAtStep("o"), IllegalStateException.class),
                new Scenario("compensation fails", () -> saga.compensationFails("o"), CompensationFailedException.class),
                new Scenario("step throws an Error", () -> saga.errorFromStep("o"), ScenarioError.class),
                new Scenario("body throws an Error", () -> saga.errorFromBody("o"), ScenarioError.class),
                new Scenario("compensation throws an Error", () -> saga.errorFromCompensation("o"), CompensationFailedException.class),
                new Scenario("nested saga fails, caught", () -> saga.nestedFailureCaught("o"), null),
                new Scenario("nested saga fails, not caught", () -> saga.nestedFailureNotCaught("o"), IllegalStateException.class),
                new Scenario("noRollbackFor failure", () -> saga.tolerated("o"), Tolerated.class)));
        Class<? extends Throwable> refused = IllegalStateException.class;
        // the failed step's handler calls an action: a saga of its own (or refused, failing the compensation)
        scenarios.add(new Scenario("failed step's handler calls an action", () -> saga.handlerCallsAnAction("o"),
                refuseOutside ? CompensationFailedException.class : IllegalStateException.class));
        scenarios.add(new Scenario("action outside a saga fails", () -> hazards.failing("o"), IllegalStateException.class));
        scenarios.add(new Scenario("action outside a saga fails, its compensation too", () -> hazards.doubleFailure("o"),
                refuseOutside ? refused : CompensationFailedException.class));
        scenarios.add(new Scenario("action outside a saga throws an Error", () -> hazards.error("o"),
                refuseOutside ? refused : ScenarioError.class));
        return scenarios;
    }

    static class ScenarioError extends Error {
        private static final long serialVersionUID = 1L;

        ScenarioError(String message) {
            super(message);
        }
    }

    static class Tolerated extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    static class ProbeFailure extends RuntimeException {
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
        Assistant assistant() {
            return new Assistant();
        }

        @Bean
        Hazards hazards(Assistant assistant) {
            return new Hazards(assistant);
        }

        @Bean
        InnerSaga innerSaga(Steps steps, Hazards hazards) {
            return new InnerSaga(steps, hazards);
        }

        @Bean
        ThreadSaga threadSaga(Steps steps, Hazards hazards, InnerSaga innerSaga) {
            return new ThreadSaga(steps, hazards, innerSaga);
        }
    }

    /** An action a compensation handler calls. */
    static class Assistant {

        @ReversibleAction
        public void assist(String order) {
        }

        @Compensate("assist")
        public void undoAssist(String order) {
        }
    }

    /** Actions that fail forwards or backwards, with exceptions or Errors. */
    static class Hazards {

        private final Assistant assistant;

        Hazards(Assistant assistant) {
            this.assistant = assistant;
        }

        @ReversibleAction
        public void failingWithHelp(String order) {
            throw new IllegalStateException("step fails");
        }

        @Compensate("failingWithHelp")
        public void undoFailingWithHelp(String order) {
            assistant.assist(order);
        }

        @ReversibleAction
        public void failing(String order) {
            throw new IllegalStateException("step fails");
        }

        @Compensate("failing")
        public void undoFailing(String order) {
        }

        @ReversibleAction
        public void failingUndo(String order) {
        }

        @Compensate("failingUndo")
        public void undoFailingUndo(String order) {
            throw new IllegalStateException("cannot undo");
        }

        @ReversibleAction
        public void doubleFailure(String order) {
            throw new IllegalStateException("step fails");
        }

        @Compensate("doubleFailure")
        public void undoDoubleFailure(String order) {
            throw new IllegalStateException("cannot undo either");
        }

        @ReversibleAction
        public void error(String order) {
            throw new ScenarioError("step error");
        }

        @Compensate("error")
        public void undoError(String order) {
        }

        @ReversibleAction
        public void errorUndo(String order) {
        }

        @Compensate("errorUndo")
        public void undoErrorUndo(String order) {
            throw new ScenarioError("undo error");
        }

        @ReversibleAction
        public String outside() {
            return "outside";
        }

        @Compensate("outside")
        public void undoOutside() {
        }
    }

    static class InnerSaga {

        private final Steps steps;
        private final Hazards hazards;

        InnerSaga(Steps steps, Hazards hazards) {
            this.steps = steps;
            this.hazards = hazards;
        }

        @ReversibleSaga
        public void fails(String order) throws Exception {
            steps.b(order);
            hazards.failing(order);
        }
    }

    static class ThreadSaga {

        private final Steps steps;
        private final Hazards hazards;
        private final InnerSaga inner;

        ThreadSaga(Steps steps, Hazards hazards, InnerSaga inner) {
            this.steps = steps;
            this.hazards = hazards;
            this.inner = inner;
        }

        @ReversibleSaga
        public void completes(String order) throws Exception {
            steps.a(order);
            steps.b(order);
        }

        @ReversibleSaga
        public void failsInBody(String order) throws Exception {
            steps.a(order);
            throw new IllegalStateException("body fails");
        }

        @ReversibleSaga
        public void failsAtStep(String order) throws Exception {
            steps.a(order);
            hazards.failing(order);
        }

        @ReversibleSaga
        public void compensationFails(String order) throws Exception {
            hazards.failingUndo(order);
            steps.a(order);
            throw new IllegalStateException("body fails");
        }

        @ReversibleSaga
        public void errorFromStep(String order) throws Exception {
            steps.a(order);
            hazards.error(order);
        }

        @ReversibleSaga
        public void errorFromBody(String order) throws Exception {
            steps.a(order);
            throw new ScenarioError("body error");
        }

        @ReversibleSaga
        public void errorFromCompensation(String order) {
            hazards.errorUndo(order);
            throw new IllegalStateException("body fails");
        }

        @ReversibleSaga
        public void nestedFailureCaught(String order) throws Exception {
            steps.a(order);
            try {
                inner.fails(order);
            } catch (IllegalStateException expected) {
                // handled: the saga carries on
            }
            steps.c(order);
        }

        @ReversibleSaga
        public void nestedFailureNotCaught(String order) throws Exception {
            steps.a(order);
            inner.fails(order);
        }

        @ReversibleSaga(noRollbackFor = Tolerated.class)
        public void tolerated(String order) throws Exception {
            steps.a(order);
            throw new Tolerated();
        }

        @ReversibleSaga
        public void handlerCallsAnAction(String order) throws Exception {
            steps.a(order);
            hazards.failingWithHelp(order);
        }

        @ReversibleSaga
        public void probe(String order) throws Exception {
            steps.a(order);
            throw new ProbeFailure();
        }
    }
}
