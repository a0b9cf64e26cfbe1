package dev.reversible.core;

import static dev.reversible.core.Failures.thrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Rule 11: a listener that throws is logged as a warning, once per event, and the saga carries on. */
class ListenerFailureLoggingTests {

    private final Logger logger = Logger.getLogger("dev.reversible.core.engine.Listeners");
    private final List<LogRecord> records = new ArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public synchronized void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private final RuntimeException listenerFailure = new IllegalStateException("listener broke");
    private final List<String> events = new ArrayList<>();
    private final SagaExecutor executor = Reversible.executor().listener(new SagaListener() {
        private void fail(String event) {
            events.add(event);
            throw listenerFailure;
        }

        @Override
        public void sagaStarted(SagaInfo saga) {
            fail("sagaStarted");
        }

        @Override
        public void stepCompleted(SagaInfo saga, String step, long nanos) {
            fail("stepCompleted");
        }

        @Override
        public void stepFailed(SagaInfo saga, String step, long nanos, Throwable failure) {
            fail("stepFailed");
        }

        @Override
        public void compensationSucceeded(SagaInfo saga, String step, int attempts, long nanos) {
            fail("compensationSucceeded");
        }

        @Override
        public void compensationFailed(SagaInfo saga, String step, int attempts, long nanos, Throwable failure) {
            fail("compensationFailed");
        }

        @Override
        public void stepUndoneByTransaction(SagaInfo saga, String step) {
            fail("stepUndoneByTransaction");
        }

        @Override
        public void sagaCompleted(SagaInfo saga, long nanos) {
            fail("sagaCompleted");
        }

        @Override
        public void sagaRolledBack(SagaInfo saga, long nanos, RollbackReport report) {
            fail("sagaRolledBack");
        }

        @Override
        public void sagaFailed(SagaInfo saga, long nanos, Throwable failure) {
            fail("sagaFailed");
        }
    }).build();

    @BeforeEach
    void captureWarnings() {
        logger.addHandler(handler);
    }

    @AfterEach
    void releaseWarnings() {
        logger.removeHandler(handler);
    }

    @Test
    void everyEventsListenerFailureIsLoggedOnceAndChangesNothing() throws Exception {
        Calls calls = new Calls();
        IOException failure = new IOException("failure");
        SagaExecutor continuing = executor;

        assertThat(continuing.execute(Step.ok(calls, "a"))).isEqualTo("a");
        thrownBy(() -> continuing.execute(Reversible.gen(saga -> {
            saga.run(ParentStep.leaf(calls, "tx").undoneByItsTransaction());
            saga.run(Step.ok(calls, "b").compensationFailing(new IOException("undo failed")));
            return saga.run(Step.ok(calls, "f").failing(failure));
        })));
        thrownBy(() -> continuing.execute(Reversible.gen(saga -> {
            throw failure;
        }).rollbackOn(e -> false)));

        assertThat(events).containsExactly(
                "sagaStarted", "stepCompleted", "sagaCompleted",
                "sagaStarted", "stepCompleted", "stepCompleted", "stepFailed", "compensationSucceeded",
                "compensationFailed", "sagaRolledBack",
                "sagaStarted", "sagaFailed");
        assertThat(records).hasSize(events.size()).allSatisfy(record -> {
            assertThat(record.getLevel()).isEqualTo(Level.WARNING);
            assertThat(record.getThrown()).isSameAs(listenerFailure);
        });
        assertThat(calls.list()).containsExactly("a", "tx", "b", "f", "undo f", "undo b");
    }

    @Test
    void failureOfTheUndoneByTransactionEventIsLoggedToo() {
        thrownBy(() -> executor.execute(Reversible.gen(saga -> {
            saga.run(ParentStep.leaf(new Calls(), "tx").undoneByItsTransaction());
            throw new IOException("failure");
        })));

        assertThat(events).containsExactly("sagaStarted", "stepCompleted", "stepUndoneByTransaction", "sagaRolledBack");
        assertThat(records).hasSize(4);
    }
}
