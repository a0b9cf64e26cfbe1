package dev.reversible.spring;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.reversible.core.CompensationFailedException;
import dev.reversible.spring.actuate.endpoint.ReversibleEndpoint;
import dev.reversible.spring.annotation.Compensate;
import dev.reversible.spring.annotation.ReversibleAction;
import dev.reversible.spring.annotation.ReversibleSaga;
import dev.reversible.spring.autoconfigure.ReversibleAutoConfiguration;
import dev.reversible.spring.autoconfigure.ReversibleEndpointAutoConfiguration;
import dev.reversible.spring.autoconfigure.ReversibleMetricsAutoConfiguration;
import dev.reversible.spring.autoconfigure.ReversibleObservationAutoConfiguration;
import dev.reversible.spring.logging.SagaLoggingListener;
import dev.reversible.spring.statistics.ActionCounts;
import dev.reversible.spring.statistics.SagaCounts;
import dev.reversible.spring.statistics.SagaStatistics;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 8 threads × 500 sagas started together, each with a random number of steps and a random failure (of a
 * step, of the body, of a compensation, or one its saga tolerates): every saga's compensations ran exactly
 * for its own completed steps, in reverse order, with its own saga id; and the statistics, the meters and
 * the endpoint count exactly what the threads observed.
 */
class ConcurrentSagasTests {

    private static final int THREADS = 8;
    private static final int SAGAS_PER_THREAD = 500;
    private static final int MAX_STEPS = 5;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
                    SimpleMetricsExportAutoConfiguration.class, ObservationAutoConfiguration.class, ReversibleAutoConfiguration.class,
                    ReversibleObservationAutoConfiguration.class, ReversibleMetricsAutoConfiguration.class, ReversibleEndpointAutoConfiguration.class))
            .withPropertyValues("management.endpoints.web.exposure.include=reversible")
            .withUserConfiguration(Config.class);

    @BeforeAll
    static void silenceRollbackLogging() {
        // thousands of deliberate rollbacks: their WARN/ERROR lines would only slow the test and bury its output
        LoggingSystem.get(ConcurrentSagasTests.class.getClassLoader()).setLogLevel(SagaLoggingListener.class.getName(), LogLevel.OFF);
    }

    @AfterAll
    static void restoreRollbackLogging() {
        LoggingSystem.get(ConcurrentSagasTests.class.getClassLoader()).setLogLevel(SagaLoggingListener.class.getName(), null);
    }

    @Test
    void concurrentSagasCompensateOnlyTheirOwnStepsAndEveryCountMatches() {
        runner.run(context -> {
            Sagas sagas = context.getBean(Sagas.class);
            CyclicBarrier start = new CyclicBarrier(THREADS);
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            List<Plan> plans;
            try {
                List<Future<List<Plan>>> futures = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int thread = t;
                    futures.add(pool.submit(() -> {
                        Random random = new Random(1_000 + thread);
                        List<Plan> mine = new ArrayList<>(SAGAS_PER_THREAD);
                        for (int i = 0; i < SAGAS_PER_THREAD; i++) {
                            mine.add(Plan.random(thread + "-" + i, random));
                        }
                        start.await(10, TimeUnit.SECONDS);
                        for (Plan plan : mine) {
                            plan.thrown = run(sagas, plan);
                        }
                        return mine;
                    }));
                }
                plans = new ArrayList<>();
                for (Future<List<Plan>> future : futures) {
                    plans.addAll(future.get(60, TimeUnit.SECONDS));
                }
            } finally {
                pool.shutdownNow();
            }

            assertThat(plans).hasSize(THREADS * SAGAS_PER_THREAD);
            Map<String, String> sagaIdOwners = new HashMap<>();
            Observed observed = new Observed();
            for (Plan plan : plans) {
                assertThat(plan.calls).as(plan.toString()).containsExactlyElementsOf(plan.expectedCalls());
                assertThat(plan.thrown).as(plan.toString()).satisfies(plan::checkThrown);
                assertThat(plan.contexts).as(plan.toString()).extracting(CompensationContext::stepIndex)
                        .containsExactlyElementsOf(plan.undoneIndexes());
                assertThat(plan.results).as(plan.toString()).containsExactlyElementsOf(plan.undoneIndexes().stream()
                        .map(i -> i == plan.failAt ? "null" : plan.key + "#" + i).toList());
                assertThat(plan.contexts).as(plan.toString()).allSatisfy(c -> {
                    assertThat(c.sagaId()).isEqualTo(plan.contexts.get(0).sagaId());
                    assertThat(c.sagaName()).isEqualTo(plan.tolerant ? "Sagas.tolerant" : "Sagas.run");
                    assertThat(c.result()).isEqualTo(c.failure() == null ? plan.key + "#" + c.stepIndex() : null);
                });
                if (!plan.contexts.isEmpty()) {
                    String owner = sagaIdOwners.put(plan.contexts.get(0).sagaId(), plan.key);
                    assertThat(owner).as("saga id of " + plan.key + " also seen in " + owner).isNull();
                }
                observed.add(plan);
            }
            assertThat(observed.outcomes.values()).allSatisfy(count -> assertThat(count).isPositive());

            SagaStatistics statistics = context.getBean(SagaStatistics.class);
            assertCounts(statistics.totals(), observed.outcomes);
            assertThat(statistics.totals().started()).isEqualTo(THREADS * SAGAS_PER_THREAD);
            assertThat(statistics.totals().active()).isZero();
            ActionCounts step = statistics.actions().get("step");
            assertThat(step.completed()).isEqualTo(observed.stepsCompleted);
            assertThat(step.failed()).isEqualTo(observed.stepsFailed);
            assertThat(step.compensated()).isEqualTo(observed.compensated);
            assertThat(step.compensationFailed()).isEqualTo(observed.failedCompensations);
            long sagasRun = statistics.findSaga("Sagas.run").started();
            long sagasTolerant = statistics.findSaga("Sagas.tolerant").started();
            assertThat(sagasRun).isEqualTo(plans.stream().filter(p -> !p.tolerant).count());
            assertThat(sagasTolerant).isEqualTo(plans.stream().filter(p -> p.tolerant).count());

            MeterRegistry registry = context.getBean(MeterRegistry.class);
            for (Map.Entry<String, Long> outcome : observed.outcomes.entrySet()) {
                assertThat(count(registry, "reversible.saga", "outcome", outcome.getKey())).as(outcome.getKey()).isEqualTo(outcome.getValue());
            }
            assertThat(count(registry, "reversible.step", "outcome", "completed")).isEqualTo(observed.stepsCompleted);
            assertThat(count(registry, "reversible.step", "outcome", "failed")).isEqualTo(observed.stepsFailed);
            assertThat(count(registry, "reversible.compensation", "outcome", "compensated")).isEqualTo(observed.compensated);
            assertThat(count(registry, "reversible.compensation", "outcome", "failed")).isEqualTo(observed.failedCompensations);
            assertThat(registry.get("reversible.saga.active").longTaskTimers()).allSatisfy(active -> assertThat(active.activeTasks()).isZero());

            ReversibleEndpoint.SagaDescriptor totals = context.getBean(ReversibleEndpoint.class).reversible().totals();
            assertThat(totals).isEqualTo(new ReversibleEndpoint.SagaDescriptor(THREADS * SAGAS_PER_THREAD,
                    observed.outcomes.get("completed"), observed.outcomes.get("compensated"),
                    observed.outcomes.get("compensation_failed"), observed.outcomes.get("failed"), 0));
        });
    }

    private static void assertCounts(SagaCounts counts, Map<String, Long> outcomes) {
        assertThat(counts.completed()).isEqualTo(outcomes.get("completed"));
        assertThat(counts.compensated()).isEqualTo(outcomes.get("compensated"));
        assertThat(counts.compensationFailed()).isEqualTo(outcomes.get("compensation_failed"));
        assertThat(counts.failed()).isEqualTo(outcomes.get("failed"));
    }

    private static long count(MeterRegistry registry, String name, String tag, String value) {
        return (long) registry.get(name).tag(tag, value).timers().stream().mapToLong(Timer::count).sum();
    }

    private static Throwable run(Sagas sagas, Plan plan) {
        try {
            if (plan.tolerant) {
                sagas.tolerant(plan);
            } else {
                sagas.run(plan);
            }
            return null;
        } catch (Throwable e) {
            return e;
        }
    }

    /** What the threads saw, counted the way the statistics should count it. */
    static final class Observed {

        final Map<String, Long> outcomes = new HashMap<>(Map.of("completed", 0L, "compensated", 0L, "compensation_failed", 0L, "failed", 0L));
        long stepsCompleted;
        long stepsFailed;
        long compensated;
        long failedCompensations;

        void add(Plan plan) {
            String outcome = plan.thrown == null ? "completed" : plan.thrown instanceof CompensationFailedException ? "compensation_failed"
                    : plan.thrown instanceof Tolerated ? "failed" : "compensated";
            outcomes.merge(outcome, 1L, Long::sum);
            for (String call : plan.calls) {
                if (call.startsWith("step ")) {
                    boolean failed = plan.failAt == Integer.parseInt(call.substring(5));
                    stepsCompleted += failed ? 0 : 1;
                    stepsFailed += failed ? 1 : 0;
                } else {
                    boolean failed = plan.compensationFailsAt == Integer.parseInt(call.substring(5));
                    compensated += failed ? 0 : 1;
                    failedCompensations += failed ? 1 : 0;
                }
            }
        }
    }

    /** One saga's script, and what happened to it. */
    static final class Plan {

        final String key;
        final int steps;
        /** the step that throws; {@code steps} for the body after the last step; -1 for none */
        final int failAt;
        /** the step whose compensation throws, or -1 */
        final int compensationFailsAt;
        /** run by the saga that tolerates {@link Tolerated} */
        final boolean tolerant;
        final List<String> calls = Collections.synchronizedList(new ArrayList<>());
        final List<CompensationContext> contexts = Collections.synchronizedList(new ArrayList<>());
        final List<String> results = Collections.synchronizedList(new ArrayList<>());
        volatile Throwable thrown;

        private Plan(String key, int steps, int failAt, int compensationFailsAt, boolean tolerant) {
            this.key = key;
            this.steps = steps;
            this.failAt = failAt;
            this.compensationFailsAt = compensationFailsAt;
            this.tolerant = tolerant;
        }

        static Plan random(String key, Random random) {
            int steps = 1 + random.nextInt(MAX_STEPS);
            int stepFailure = random.nextInt(steps);
            return switch (random.nextInt(10)) {
                case 0, 1, 2 -> new Plan(key, steps, -1, -1, false);
                case 3, 4, 5 -> new Plan(key, steps, stepFailure, -1, false);
                case 6 -> new Plan(key, steps, steps, -1, false);
                case 7 -> new Plan(key, steps, stepFailure, random.nextInt(stepFailure + 1), false);
                case 8 -> new Plan(key, steps, stepFailure, -1, true);
                default -> new Plan(key, steps, steps, -1, true);
            };
        }

        RuntimeException failure() {
            return tolerant ? new Tolerated(key) : new PlannedFailure(key);
        }

        List<String> expectedCalls() {
            List<String> expected = new ArrayList<>();
            boolean stepFails = failAt >= 0 && failAt < steps;
            int forwards = stepFails ? failAt + 1 : steps;
            for (int i = 0; i < forwards; i++) {
                expected.add("step " + i);
            }
            if (failAt < 0) {
                return expected;
            }
            if (tolerant) {
                // a tolerated failure undoes only the step that failed, if a step failed
                if (stepFails) {
                    expected.add("undo " + failAt);
                }
                return expected;
            }
            for (int i = forwards - 1; i >= 0; i--) {
                expected.add("undo " + i);
                if (i == compensationFailsAt) {
                    break;   // ABORT: the rollback stops at the first failed compensation
                }
            }
            return expected;
        }

        /** @return the step indexes of the compensations, in the order they ran */
        List<Integer> undoneIndexes() {
            return calls.stream().filter(c -> c.startsWith("undo ")).map(c -> Integer.parseInt(c.substring(5))).toList();
        }

        void checkThrown(Throwable thrown) {
            if (failAt < 0) {
                assertThat(thrown).isNull();
            } else if (compensationFailsAt >= 0) {
                assertThat(thrown).isInstanceOf(CompensationFailedException.class);
                CompensationFailedException incomplete = (CompensationFailedException) thrown;
                assertThat(incomplete.getCause()).isInstanceOf(PlannedFailure.class).hasMessage(key);
                assertThat(incomplete.pending()).hasSize(compensationFailsAt + 1).containsOnly("step");
            } else {
                assertThat(thrown).isInstanceOf(tolerant ? Tolerated.class : PlannedFailure.class).hasMessage(key);
            }
        }

        @Override
        public String toString() {
            return "saga " + key + " (" + steps + " steps, failing at " + failAt + ", compensation failing at " + compensationFailsAt
                    + (tolerant ? ", tolerated" : "") + ")";
        }
    }

    static class PlannedFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PlannedFailure(String message) {
            super(message);
        }
    }

    static class Tolerated extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Tolerated(String message) {
            super(message);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Config {

        @Bean
        SagaSteps sagaSteps() {
            return new SagaSteps();
        }

        @Bean
        Sagas sagas(SagaSteps sagaSteps) {
            return new Sagas(sagaSteps);
        }
    }

    static class Sagas {

        private final SagaSteps steps;

        Sagas(SagaSteps steps) {
            this.steps = steps;
        }

        @ReversibleSaga
        public void run(Plan plan) {
            body(plan);
        }

        @ReversibleSaga(noRollbackFor = Tolerated.class)
        public void tolerant(Plan plan) {
            body(plan);
        }

        private void body(Plan plan) {
            for (int i = 0; i < plan.steps; i++) {
                steps.step(plan, i);
            }
            if (plan.failAt == plan.steps) {
                throw plan.failure();
            }
        }
    }

    static class SagaSteps {

        @ReversibleAction
        public String step(Plan plan, int index) {
            plan.calls.add("step " + index);
            if (plan.failAt == index) {
                throw plan.failure();
            }
            return plan.key + "#" + index;
        }

        @Compensate("step")
        public void undo(Plan plan, int index, String result, CompensationContext context) {
            plan.calls.add("undo " + index);
            plan.contexts.add(context);
            plan.results.add(String.valueOf(result));
            if (plan.compensationFailsAt == index) {
                throw new IllegalStateException("cannot undo step " + index + " of " + plan.key);
            }
        }
    }
}
