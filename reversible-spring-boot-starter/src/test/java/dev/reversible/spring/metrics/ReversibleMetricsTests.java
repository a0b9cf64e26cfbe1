package dev.reversible.spring.metrics;

import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.reversible.core.Action;
import dev.reversible.core.CompensationFailedException;
import dev.reversible.core.CompositeAction;
import dev.reversible.core.Reversible;
import dev.reversible.core.SagaExecutor;
import dev.reversible.spring.observation.SagaObservationListener;
import dev.reversible.spring.statistics.SagaStatistics;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Tests for {@link ReversibleMetrics}, without Spring: the timers Micrometer's meter observation handler derives
 * from the observations of a real executor, with the documented names, tags and exact counts, and the zero-count
 * timers registered as soon as a name is known.
 */
class ReversibleMetricsTests {

    private final SagaStatistics statistics = new SagaStatistics(10, Clock.systemUTC());

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private final ObservationRegistry observations = ObservationRegistry.create();

    private final SagaExecutor executor = SagaExecutor.builder().listener(statistics).listener(new SagaObservationListener(observations))
            .build();

    private final ExecutorService threads = Executors.newSingleThreadExecutor();

    ReversibleMetricsTests() {
        observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(registry));
        new ReversibleMetrics(statistics).bindTo(registry);
    }

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    @Test
    void completedSagaIsCountedWithItsSteps() throws Exception {
        executor.execute(saga("order", step("reserve"), step("charge")));
        assertThat(sagaCount("order", "completed")).isEqualTo(1);
        assertThat(sagaCount("order", "compensated")).isZero();
        assertThat(sagaCount("order", "compensation_failed")).isZero();
        assertThat(sagaCount("order", "failed")).isZero();
        assertThat(count(ReversibleMetrics.STEP, "action", "reserve", "completed")).isEqualTo(1);
        assertThat(count(ReversibleMetrics.STEP, "action", "charge", "completed")).isEqualTo(1);
        assertThat(count(ReversibleMetrics.STEP, "action", "charge", "failed")).isZero();
        assertThat(count(ReversibleMetrics.COMPENSATION, "action", "reserve", "compensated")).isZero();
    }

    @Test
    void compensatedSagaIsCountedWithItsCompensations() {
        assertThatThrownBy(() -> executor.execute(saga("order", step("reserve"), failing("charge")))).hasMessage("declined");
        assertThat(sagaCount("order", "compensated")).isEqualTo(1);
        assertThat(sagaCount("order", "completed")).isZero();
        assertThat(count(ReversibleMetrics.STEP, "action", "reserve", "completed")).isEqualTo(1);
        assertThat(count(ReversibleMetrics.STEP, "action", "charge", "failed")).isEqualTo(1);
        assertThat(count(ReversibleMetrics.COMPENSATION, "action", "reserve", "compensated")).isEqualTo(1);
        assertThat(count(ReversibleMetrics.COMPENSATION, "action", "charge", "compensated")).isEqualTo(1);
        assertThat(count(ReversibleMetrics.COMPENSATION, "action", "reserve", "failed")).isZero();
    }

    @Test
    void sagaWhoseCompensationFailedIsCountedAsCompensationFailed() {
        assertThatExceptionOfType(CompensationFailedException.class)
                .isThrownBy(() -> executor.execute(saga("order", irreversible("reserve"), failing("charge"))));
        assertThat(sagaCount("order", "compensation_failed")).isEqualTo(1);
        assertThat(sagaCount("order", "compensated")).isZero();
        assertThat(count(ReversibleMetrics.COMPENSATION, "action", "reserve", "failed")).isEqualTo(1);
        assertThat(count(ReversibleMetrics.COMPENSATION, "action", "reserve", "compensated")).isZero();
        assertThat(count(ReversibleMetrics.COMPENSATION, "action", "charge", "compensated")).isEqualTo(1);
    }

    @Test
    void sagaLeftByANoRollbackFailureIsCountedAsFailed() {
        CompositeAction<String> saga = saga("order", step("reserve"), failing("charge"))
                .rollbackOn(failure -> !(failure instanceof IllegalStateException));
        assertThatThrownBy(() -> executor.execute(saga)).hasMessage("declined");
        assertThat(sagaCount("order", "failed")).isEqualTo(1);
        assertThat(sagaCount("order", "compensated")).isZero();
        // The completed step stands; the failed step was still compensated itself.
        assertThat(count(ReversibleMetrics.COMPENSATION, "action", "reserve", "compensated")).isZero();
        assertThat(count(ReversibleMetrics.COMPENSATION, "action", "charge", "compensated")).isEqualTo(1);
    }

    @Test
    void everyOutcomeIsCountedSeparately() throws Exception {
        executor.execute(saga("order", step("reserve")));
        executor.execute(saga("order", step("reserve")));
        assertThatThrownBy(() -> executor.execute(saga("order", step("reserve"), failing("charge"))));
        assertThatThrownBy(() -> executor.execute(saga("order", irreversible("reserve"), failing("charge"))));
        assertThat(sagaCount("order", "completed")).isEqualTo(2);
        assertThat(sagaCount("order", "compensated")).isEqualTo(1);
        assertThat(sagaCount("order", "compensation_failed")).isEqualTo(1);
        assertThat(sagaCount("order", "failed")).isZero();
        assertThat(count(ReversibleMetrics.STEP, "action", "reserve", "completed")).isEqualTo(4);
    }

    @Test
    void sagaMeterHasExactlyTheDocumentedTags() throws Exception {
        executor.execute(saga("order", step("reserve")));
        assertThatThrownBy(() -> executor.execute(saga("order", step("reserve"), failing("charge"))));
        assertThat(registry.get(ReversibleMetrics.SAGA).tags("saga", "order", "outcome", "completed").timer().getId().getTags())
                .containsExactlyInAnyOrder(Tag.of("saga", "order"), Tag.of("outcome", "completed"), Tag.of("error", "none"));
        assertThat(registry.get(ReversibleMetrics.SAGA).tags("saga", "order", "outcome", "compensated").timers())
                .extracting(timer -> timer.getId().getTag("error"), Timer::count)
                .containsExactlyInAnyOrder(tuple("none", 0L), tuple("IllegalStateException", 1L));
        assertThat(registry.get(ReversibleMetrics.STEP).tags("action", "reserve", "outcome", "completed").timer().getId().getTags())
                .containsExactlyInAnyOrder(Tag.of("action", "reserve"), Tag.of("outcome", "completed"), Tag.of("error", "none"));
        assertThat(registry.get(ReversibleMetrics.STEP).tags("action", "charge", "outcome", "failed", "error", "IllegalStateException").timer()
                .count()).isEqualTo(1);
        assertThat(registry.get(ReversibleMetrics.COMPENSATION).tags("action", "reserve", "outcome", "compensated").timer().getId()
                .getTags()).containsExactlyInAnyOrder(Tag.of("action", "reserve"), Tag.of("outcome", "compensated"), Tag.of("error", "none"));
        assertThat(registry.get(ReversibleMetrics.ACTIVE).longTaskTimer().getId().getTags()).containsExactly(Tag.of("saga", "order"));
    }

    @Test
    void eachNameGetsEveryOutcomeMeterAsSoonAsItIsKnown() {
        statistics.saga("order");
        statistics.action("reserve");
        assertThat(registry.get(ReversibleMetrics.SAGA).tag("saga", "order").timers())
                .extracting(timer -> timer.getId().getTag("outcome"))
                .containsExactlyInAnyOrder("completed", "compensated", "compensation_failed", "failed");
        assertThat(registry.get(ReversibleMetrics.STEP).tag("action", "reserve").timers())
                .extracting(timer -> timer.getId().getTag("outcome")).containsExactlyInAnyOrder("completed", "failed");
        assertThat(registry.get(ReversibleMetrics.COMPENSATION).tag("action", "reserve").timers())
                .extracting(timer -> timer.getId().getTag("outcome")).containsExactlyInAnyOrder("compensated", "failed", "undone_by_transaction");
        assertThat(registry.get(ReversibleMetrics.SAGA).timers()).extracting(Timer::count).containsOnly(0L);
        assertThat(registry.get(ReversibleMetrics.ACTIVE).tag("saga", "order").longTaskTimer().activeTasks()).isZero();
    }

    @Test
    void namesKnownBeforeBindingAreRegisteredToo() throws Exception {
        SagaStatistics earlier = new SagaStatistics(10, Clock.systemUTC());
        SagaExecutor.builder().listener(earlier).build().execute(saga("order", step("reserve")));
        SimpleMeterRegistry lateRegistry = new SimpleMeterRegistry();
        new ReversibleMetrics(earlier).bindTo(lateRegistry);
        assertThat(lateRegistry.get(ReversibleMetrics.SAGA).tags("saga", "order", "outcome", "completed").timer().count()).isZero();
        assertThat(lateRegistry.get(ReversibleMetrics.STEP).tags("action", "reserve", "outcome", "completed").timer().count()).isZero();
    }

    @Test
    void nestedSagaIsAStepOfTheOuterOneNotASagaOfItsOwn() throws Exception {
        CompositeAction<String> inner = saga("inner", step("reserve"));
        CompositeAction<String> outer = Reversible.<String>gen(scope -> {
            scope.run(inner);
            return scope.run(step("charge"));
        }).named("outer");
        executor.execute(outer);
        assertThat(sagaCount("outer", "completed")).isEqualTo(1);
        assertThat(registry.find(ReversibleMetrics.SAGA).tag("saga", "inner").meters()).isEmpty();
        assertThat(count(ReversibleMetrics.STEP, "action", "reserve", "completed")).isEqualTo(1);
        assertThat(count(ReversibleMetrics.STEP, "action", "charge", "completed")).isEqualTo(1);
    }

    @Test
    void actionExecutedOnItsOwnIsAOneStepSagaNamedAfterIt() throws Exception {
        executor.execute(step("refund"));
        assertThat(sagaCount("refund", "completed")).isEqualTo(1);
        assertThat(count(ReversibleMetrics.STEP, "action", "refund", "completed")).isEqualTo(1);
    }

    @Test
    void sagaTimerIsARealTimerWithAMaximumCoveringItsSteps() throws Exception {
        executor.execute(saga("order", step("reserve"), step("charge")));
        Timer saga = registry.get(ReversibleMetrics.SAGA).tags("saga", "order", "outcome", "completed").timer();
        Timer reserve = registry.get(ReversibleMetrics.STEP).tags("action", "reserve", "outcome", "completed").timer();
        Timer charge = registry.get(ReversibleMetrics.STEP).tags("action", "charge", "outcome", "completed").timer();
        assertThat(saga.count()).isEqualTo(1);
        assertThat(saga.max(TimeUnit.NANOSECONDS)).isPositive().isEqualTo(saga.totalTime(TimeUnit.NANOSECONDS));
        // The saga's observation encloses its steps' observations.
        assertThat(saga.totalTime(TimeUnit.NANOSECONDS))
                .isGreaterThan(reserve.totalTime(TimeUnit.NANOSECONDS) + charge.totalTime(TimeUnit.NANOSECONDS));
    }

    @Test
    void activeLongTaskTimerCountsTheSagasRunningNow() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Action<String> blocking = Reversible.action(context -> {
            entered.countDown();
            assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
            return "done";
        }, context -> {
        }).named("wait");
        statistics.saga("order");
        LongTaskTimer active = registry.get(ReversibleMetrics.ACTIVE).tag("saga", "order").longTaskTimer();
        assertThat(active.activeTasks()).isZero();
        Future<String> running = threads.submit(() -> executor.execute(saga("order", blocking)));
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(active.activeTasks()).isEqualTo(1);
        release.countDown();
        assertThat(running.get(10, TimeUnit.SECONDS)).isEqualTo("order");
        // execute() reports the saga's end to its listeners before it returns.
        assertThat(active.activeTasks()).isZero();
        assertThat(sagaCount("order", "completed")).isEqualTo(1);
    }

    @Test
    void meterNamesAreTheDocumentedOnes() throws Exception {
        executor.execute(saga("order", step("reserve")));
        assertThat(registry.getMeters()).extracting(Meter::getId).extracting(Meter.Id::getName).containsOnly(ReversibleMetrics.SAGA,
                ReversibleMetrics.STEP, ReversibleMetrics.COMPENSATION, ReversibleMetrics.ACTIVE, "reversible.step.active");
        assertThat(ReversibleMetrics.SAGA).isEqualTo("reversible.saga");
        assertThat(ReversibleMetrics.STEP).isEqualTo("reversible.step");
        assertThat(ReversibleMetrics.COMPENSATION).isEqualTo("reversible.compensation");
        assertThat(ReversibleMetrics.ACTIVE).isEqualTo("reversible.saga.active");
        // 4 saga outcomes + 2 step and 3 compensation outcomes for one action + the saga's and the step's long-task timers.
        assertThat(registry.getMeters()).hasSize(11);
    }

    private double sagaCount(String saga, String outcome) {
        return count(ReversibleMetrics.SAGA, "saga", saga, outcome);
    }

    private double count(String meter, String key, String value, String outcome) {
        // One timer per error class: the sum is the outcome's count.
        return registry.get(meter).tags(key, value, "outcome", outcome).timers().stream().mapToLong(Timer::count).sum();
    }

    @SafeVarargs
    private static CompositeAction<String> saga(String name, Action<String>... steps) {
        return Reversible.<String>gen(scope -> {
            for (Action<String> step : steps) {
                scope.run(step);
            }
            return name;
        }).named(name);
    }

    private static Action<String> step(String name) {
        return Reversible.action(context -> name, context -> {
        }).named(name);
    }

    private static Action<String> failing(String name) {
        return Reversible.<String>action(context -> {
            throw new IllegalStateException("declined");
        }, context -> {
        }).named(name);
    }

    private static Action<String> irreversible(String name) {
        return Reversible.action(context -> name, context -> {
            throw new IllegalStateException("cannot undo " + name);
        }).named(name);
    }
}
