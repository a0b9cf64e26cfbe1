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
import dev.reversible.spring.statistics.SagaStatistics;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Tests for {@link ReversibleMetrics}, without Spring: the meters read the statistics a real executor
 * reports to, with the documented names, tags and exact counts.
 */
class ReversibleMetricsTests {

    private final SagaStatistics statistics = new SagaStatistics(10, Clock.systemUTC());

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private final SagaExecutor executor = SagaExecutor.builder().listener(statistics).build();

    private final ExecutorService threads = Executors.newSingleThreadExecutor();

    ReversibleMetricsTests() {
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
        assertThat(registry.get(ReversibleMetrics.SAGA).tags("saga", "order", "outcome", "completed").functionTimer().getId().getTags())
                .containsExactlyInAnyOrder(Tag.of("saga", "order"), Tag.of("outcome", "completed"));
        assertThat(registry.get(ReversibleMetrics.STEP).tags("action", "reserve", "outcome", "completed").functionTimer().getId().getTags())
                .containsExactlyInAnyOrder(Tag.of("action", "reserve"), Tag.of("outcome", "completed"));
        assertThat(registry.get(ReversibleMetrics.COMPENSATION).tags("action", "reserve", "outcome", "compensated").functionTimer().getId()
                .getTags()).containsExactlyInAnyOrder(Tag.of("action", "reserve"), Tag.of("outcome", "compensated"));
    }

    @Test
    void eachNameGetsEveryOutcomeMeterAsSoonAsItIsKnown() {
        statistics.saga("order");
        statistics.action("reserve");
        assertThat(registry.get(ReversibleMetrics.SAGA).tag("saga", "order").functionTimers())
                .extracting(timer -> timer.getId().getTag("outcome"))
                .containsExactlyInAnyOrder("completed", "compensated", "compensation_failed", "failed");
        assertThat(registry.get(ReversibleMetrics.STEP).tag("action", "reserve").functionTimers())
                .extracting(timer -> timer.getId().getTag("outcome")).containsExactlyInAnyOrder("completed", "failed");
        assertThat(registry.get(ReversibleMetrics.COMPENSATION).tag("action", "reserve").functionTimers())
                .extracting(timer -> timer.getId().getTag("outcome")).containsExactlyInAnyOrder("compensated", "failed", "undone_by_transaction");
        assertThat(registry.get(ReversibleMetrics.SAGA).functionTimers()).extracting(FunctionTimer::count).containsOnly(0.0);
    }

    @Test
    void namesKnownBeforeBindingAreRegisteredToo() throws Exception {
        SagaStatistics earlier = new SagaStatistics(10, Clock.systemUTC());
        SagaExecutor.builder().listener(earlier).build().execute(saga("order", step("reserve")));
        SimpleMeterRegistry lateRegistry = new SimpleMeterRegistry();
        new ReversibleMetrics(earlier).bindTo(lateRegistry);
        assertThat(lateRegistry.get(ReversibleMetrics.SAGA).tags("saga", "order", "outcome", "completed").functionTimer().count()).isEqualTo(1);
        assertThat(lateRegistry.get(ReversibleMetrics.STEP).tags("action", "reserve", "outcome", "completed").functionTimer().count())
                .isEqualTo(1);
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
    void timersReadTheTimeTheStatisticsRecorded() throws Exception {
        executor.execute(saga("order", step("reserve")));
        FunctionTimer timer = registry.get(ReversibleMetrics.SAGA).tags("saga", "order", "outcome", "completed").functionTimer();
        double recorded = statistics.findSaga("order").completedOutcome().totalTime(TimeUnit.NANOSECONDS);
        assertThat(recorded).isPositive();
        // The registry converts to its base unit and back: equal up to floating-point rounding.
        assertThat(timer.totalTime(TimeUnit.NANOSECONDS)).isCloseTo(recorded, within(1e-6 * recorded));
    }

    @Test
    void activeGaugeCountsTheSagasRunningNow() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Action<String> blocking = Reversible.action(context -> {
            entered.countDown();
            assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
            return "done";
        }, context -> {
        }).named("wait");
        assertThat(registry.get(ReversibleMetrics.ACTIVE).gauge().value()).isZero();
        Future<String> running = threads.submit(() -> executor.execute(saga("order", blocking)));
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(registry.get(ReversibleMetrics.ACTIVE).gauge().value()).isEqualTo(1.0);
        release.countDown();
        assertThat(running.get(10, TimeUnit.SECONDS)).isEqualTo("order");
        // execute() reports the saga's end to its listeners before it returns.
        assertThat(registry.get(ReversibleMetrics.ACTIVE).gauge().value()).isZero();
        assertThat(sagaCount("order", "completed")).isEqualTo(1);
    }

    @Test
    void meterNamesAreTheDocumentedOnes() throws Exception {
        executor.execute(saga("order", step("reserve")));
        assertThat(registry.getMeters()).extracting(Meter::getId).extracting(Meter.Id::getName).containsOnly(ReversibleMetrics.SAGA,
                ReversibleMetrics.STEP, ReversibleMetrics.COMPENSATION, ReversibleMetrics.ACTIVE);
        assertThat(ReversibleMetrics.SAGA).isEqualTo("reversible.saga");
        assertThat(ReversibleMetrics.STEP).isEqualTo("reversible.step");
        assertThat(ReversibleMetrics.COMPENSATION).isEqualTo("reversible.compensation");
        assertThat(ReversibleMetrics.ACTIVE).isEqualTo("reversible.saga.active");
        // 4 saga outcomes + 2 step and 3 compensation outcomes for one action + the gauge.
        assertThat(registry.getMeters()).hasSize(10);
    }

    private double sagaCount(String saga, String outcome) {
        return count(ReversibleMetrics.SAGA, "saga", saga, outcome);
    }

    private double count(String meter, String key, String value, String outcome) {
        return registry.get(meter).tags(key, value, "outcome", outcome).functionTimer().count();
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
