package dev.reversible.spring.observation;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import dev.reversible.core.Action;
import dev.reversible.core.Reversible;
import dev.reversible.core.SagaExecutor;
import dev.reversible.core.SagaInfo;
import dev.reversible.core.SagaListener;
import dev.reversible.core.StepInfo;
import dev.reversible.spring.ClockTicks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tests for {@link SagaMdcListener}: the saga's id and name are in the MDC while its body, steps and
 * compensations run, and whatever was there before is back afterwards, on pooled threads too.
 */
class SagaMdcListenerTests {

    private final List<String> seen = new ArrayList<>();

    private final List<String> ids = new ArrayList<>();

    private final SagaExecutor executor = SagaExecutor.builder().listener(new SagaMdcListener()).listener(new SagaListener() {
        @Override
        public void sagaStarted(SagaInfo saga) {
            ids.add(saga.id());
        }
    }).build();

    private final ExecutorService pool = Executors.newFixedThreadPool(1);

    @AfterEach
    void stopPool() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        MDC.clear();
    }

    @Test
    void aSubclassOfTheMdcListenerGetsRealStepDurations() throws Exception {
        List<Long> durations = new ArrayList<>();
        SagaMdcListener subclass = new SagaMdcListener() {
            @Override
            public void stepCompleted(SagaInfo saga, StepInfo step, long nanos) {
                super.stepCompleted(saga, step, nanos);
                durations.add(nanos);
            }
        };
        SagaExecutor subclassed = SagaExecutor.builder().listener(subclass).build();

        subclassed.execute(Reversible.gen(scope -> scope.run(Reversible.action(context -> {
            see("forwards reserve");
            ClockTicks.untilTheClockMoves();
            return "reserve";
        }, context -> { }).named("reserve"))).named("order"));

        assertThat(new SagaMdcListener().ignoresStepDurations()).as("the listener itself reads none").isTrue();
        assertThat(durations).singleElement().satisfies(nanos -> assertThat(nanos).isPositive());
        assertThat(seen).singleElement().asString().startsWith("forwards reserve order ");
    }

    @Test
    void sagaIdAndNameAreInTheMdcDuringStepsAndCompensationsAndGoneAfter() {
        assertThatThrownBy(() -> executor.execute(Reversible.<String>gen(scope -> {
            see("body");
            scope.run(recording("reserve"));
            return scope.run(Reversible.<String>action(context -> {
                see("forwards charge");
                throw new IllegalStateException("declined");
            }, context -> see("backwards charge")).named("charge"));
        }).named("order"))).hasMessage("declined");

        String id = ids.get(0);
        assertThat(seen).containsExactly("body order " + id, "forwards reserve order " + id, "forwards charge order " + id,
                "backwards charge order " + id, "backwards reserve order " + id);
        assertThat(MDC.get(SagaMdcListener.SAGA_ID)).isNull();
        assertThat(MDC.get(SagaMdcListener.SAGA_NAME)).isNull();
    }

    @Test
    void sagaStartedInACompensationHasItsOwnIdThereAndTheOuterOneIsRestoredAfter() {
        Action<String> audit = recording("audit");
        assertThatThrownBy(() -> executor.execute(Reversible.<String>gen(scope -> {
            scope.run(Reversible.action(context -> "reserved", context -> {
                executor.execute(Reversible.<String>gen(inner -> inner.run(audit)).named("audit"));
                see("backwards reserve");
            }).named("reserve"));
            throw new IllegalStateException("body failed");
        }).named("order"))).hasMessage("body failed");

        assertThat(seen).containsExactly("forwards audit audit " + ids.get(1), "backwards reserve order " + ids.get(0));
        assertThat(MDC.getCopyOfContextMap()).isNullOrEmpty();
    }

    @Test
    void valuesPresentBeforeTheSagaAreRestoredAfterIt() throws Exception {
        MDC.put(SagaMdcListener.SAGA_ID, "outer-id");
        MDC.put(SagaMdcListener.SAGA_NAME, "outer");
        executor.execute(Reversible.<String>gen(scope -> scope.run(recording("reserve"))).named("order"));
        assertThat(seen).containsExactly("forwards reserve order " + ids.get(0));
        assertThat(MDC.get(SagaMdcListener.SAGA_ID)).isEqualTo("outer-id");
        assertThat(MDC.get(SagaMdcListener.SAGA_NAME)).isEqualTo("outer");
    }

    @Test
    void pooledThreadCarriesNothingIntoItsNextTask() throws Exception {
        pool.submit(() -> executor.execute(Reversible.<String>gen(scope -> scope.run(recording("reserve"))).named("order"))).get(10,
                TimeUnit.SECONDS);
        pool.submit(() -> {
            assertThatThrownBy(() -> executor.execute(Reversible.<String>gen(scope -> {
                scope.run(recording("charge"));
                throw new IllegalStateException("declined");
            }).named("order"))).hasMessage("declined");
            return null;
        }).get(10, TimeUnit.SECONDS);
        String next = pool.submit(() -> MDC.get(SagaMdcListener.SAGA_ID) + "/" + MDC.get(SagaMdcListener.SAGA_NAME)).get(10, TimeUnit.SECONDS);

        assertThat(seen).containsExactly("forwards reserve order " + ids.get(0), "forwards charge order " + ids.get(1),
                "backwards charge order " + ids.get(1));
        assertThat(next).isEqualTo("null/null");
    }

    private Action<String> recording(String name) {
        return Reversible.action(context -> {
            see("forwards " + name);
            return name;
        }, context -> see("backwards " + name)).named(name);
    }

    private synchronized void see(String what) {
        seen.add(what + " " + MDC.get(SagaMdcListener.SAGA_NAME) + " " + MDC.get(SagaMdcListener.SAGA_ID));
    }
}
