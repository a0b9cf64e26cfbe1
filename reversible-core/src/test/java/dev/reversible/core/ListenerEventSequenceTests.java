package dev.reversible.core;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The full sequence of events a listener receives — starts, the moments asynchronous work leaves the calling
 * thread ({@code …Pending}), ends — with each step's place (index, parent); and {@link SagaContext} carrying a
 * saga's scope to another thread.
 */
class ListenerEventSequenceTests {

    private final List<String> events = new ArrayList<>();
    private final Calls calls = new Calls();
    private final SagaExecutor executor = Reversible.executor().listener(new SagaListener() {
        @Override
        public synchronized void sagaStarted(SagaInfo saga) {
            events.add("sagaStarted " + saga.name());
        }

        @Override
        public synchronized void stepStarted(SagaInfo saga, String step, int index, int parentIndex) {
            events.add("stepStarted " + step + " #" + index + " parent " + parentIndex);
        }

        @Override
        public synchronized void stepPending(SagaInfo saga, String step) {
            events.add("stepPending " + step);
        }

        @Override
        public synchronized void stepCompleted(SagaInfo saga, String step, long nanos) {
            events.add("stepCompleted " + step);
        }

        @Override
        public synchronized void stepFailed(SagaInfo saga, String step, long nanos, Throwable failure) {
            events.add("stepFailed " + step);
        }

        @Override
        public synchronized void compensationStarted(SagaInfo saga, String step) {
            events.add("compensationStarted " + step);
        }

        @Override
        public synchronized void compensationPending(SagaInfo saga, String step) {
            events.add("compensationPending " + step);
        }

        @Override
        public synchronized void compensationSucceeded(SagaInfo saga, String step, int attempts, long nanos) {
            events.add("compensationSucceeded " + step);
        }

        @Override
        public synchronized void sagaPending(SagaInfo saga) {
            events.add("sagaPending " + saga.name());
        }

        @Override
        public synchronized void sagaCompleted(SagaInfo saga, long nanos) {
            events.add("sagaCompleted " + saga.name());
        }

        @Override
        public synchronized void sagaRolledBack(SagaInfo saga, long nanos, RollbackReport report) {
            events.add("sagaRolledBack " + saga.name());
        }
    }).build();

    private final Logger logger = Logger.getLogger("dev.reversible.core.engine.Listeners");
    private final List<LogRecord> warnings = new ArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public synchronized void publish(LogRecord record) {
            warnings.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureWarnings() {
        logger.addHandler(handler);
    }

    @AfterEach
    void releaseWarnings() {
        logger.removeHandler(handler);
    }

    @Test
    void synchronousSagaReportsEachStepsPlaceWhenItStartsAndEachCompensationBeforeItRuns() {
        IOException failure = new IOException("later");

        Throwable thrown = catchThrowable(() -> executor.execute(Reversible.gen(saga -> {
            saga.run(ParentStep.of(calls, "parent", () -> executor.currentScope().run(Step.ok(calls, "child"))));
            saga.run(Step.ok(calls, "next"));
            throw failure;
        }).named("trip")));

        assertThat(thrown).isSameAs(failure);
        assertThat(events).containsExactly("sagaStarted trip",
                "stepStarted parent #0 parent -1", "stepStarted child #1 parent 0", "stepCompleted child", "stepCompleted parent",
                "stepStarted next #2 parent -1", "stepCompleted next",
                "compensationStarted next", "compensationSucceeded next",
                "compensationStarted child", "compensationSucceeded child",
                "compensationStarted parent", "compensationSucceeded parent",
                "sagaRolledBack trip");
    }

    @Test
    void asynchronousStepsCompensationsAndSagasReportWhenTheyLeaveTheCallingThread() {
        IOException failure = new IOException("b failed");

        Throwable thrown = catchThrowable(() -> executor.executeAsync(Reversible.genAsync(saga ->
                saga.run(AsyncStep.ok(calls, "a")).thenCompose(a -> saga.run(AsyncStep.ok(calls, "b").failing(failure))))
                .named("order")).join());

        assertThat(thrown).hasCauseReference(failure);
        assertThat(events).containsExactly("sagaStarted order",
                "stepStarted a #0 parent -1", "stepPending a", "stepCompleted a",
                "stepStarted b #1 parent -1", "stepPending b", "stepFailed b",
                "compensationStarted b", "compensationPending b", "compensationSucceeded b",
                "compensationStarted a", "compensationPending a", "compensationSucceeded a",
                "sagaPending order", "sagaRolledBack order");
    }

    @Test
    void aListenerThatThrowsOnTheNewEventsIsLoggedAndChangesNothing() throws Exception {
        RuntimeException broken = new IllegalStateException("listener broke");
        SagaExecutor throwing = Reversible.executor().listener(new SagaListener() {
            @Override
            public void stepStarted(SagaInfo saga, String step) {
                throw broken;
            }

            @Override
            public void stepPending(SagaInfo saga, String step) {
                throw broken;
            }

            @Override
            public void compensationStarted(SagaInfo saga, String step) {
                throw broken;
            }

            @Override
            public void compensationPending(SagaInfo saga, String step) {
                throw broken;
            }

            @Override
            public void sagaPending(SagaInfo saga) {
                throw broken;
            }
        }).build();
        IOException failure = new IOException("fails");

        Throwable thrown = catchThrowable(() -> throwing.executeAsync(Reversible.genAsync(saga ->
                saga.run(AsyncStep.ok(calls, "a")).thenCompose(a -> CompletableFuture.failedFuture(failure)))).join());

        assertThat(thrown).hasCauseReference(failure);
        assertThat(calls.list()).containsExactly("a", "undo a");
        // stepStarted (through the default 4-argument event), stepPending, compensationStarted, compensationPending, sagaPending.
        assertThat(warnings).hasSize(5).allSatisfy(record -> {
            assertThat(record.getLevel()).isEqualTo(Level.WARNING);
            assertThat(record.getThrown()).isSameAs(broken);
        });
    }

    @Test
    void sagaContextCarriesARunningSagasScopeToAnotherThread() throws Exception {
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            String result = executor.execute(Reversible.gen(saga -> {
                SagaScope captured = SagaContext.current();
                assertThat(captured).isSameAs(executor.currentScope());
                return other.submit(() -> {
                    assertThat(SagaContext.current()).isNull();
                    SagaScope previous = SagaContext.bind(captured);
                    try {
                        assertThat(executor.currentScope()).isSameAs(captured);
                        return executor.currentScope().run(Step.ok(calls, "carried"));
                    } finally {
                        SagaContext.bind(previous);
                        assertThat(SagaContext.current()).isNull();
                    }
                }).get(10, TimeUnit.SECONDS);
            }).named("carrying"));

            assertThat(result).isEqualTo("carried");
            assertThat(events).contains("stepStarted carried #0 parent -1", "sagaCompleted carrying");
            assertThat(other.submit(SagaContext::current).get(10, TimeUnit.SECONDS)).isNull();
            assertThat(SagaContext.current()).isNull();
        } finally {
            other.shutdownNow();
        }
    }

    @Test
    void sagaContextRefusesAScopeItDidNotCapture() {
        SagaScope foreign = new SagaScope() {
            @Override
            public <T> T run(Action<T> step) {
                return null;
            }

            @Override
            public <T> java.util.concurrent.CompletionStage<T> runAsync(AsyncAction<T> step) {
                return null;
            }

            @Override
            public SagaInfo saga() {
                return null;
            }
        };

        assertThatIllegalArgumentException().isThrownBy(() -> SagaContext.bind(foreign)).withMessageContaining("SagaContext.current()");
        assertThat(SagaContext.current()).isNull();
    }
}
