package dev.reversible.spring.observation;

import dev.reversible.core.RollbackReport;
import dev.reversible.core.SagaInfo;
import dev.reversible.core.SagaListener;
import dev.reversible.spring.observation.ThreadFrames.Kind;

import org.slf4j.MDC;

/**
 * Puts the saga's id and name in SLF4J's MDC ({@value #SAGA_ID}, {@value #SAGA_NAME}) while a saga's body, a
 * step's {@code forwards} or a compensation runs, on the thread it runs on, so that every log line written
 * meanwhile can be tied to its saga; restores the values found there before (those of an enclosing saga, or
 * none) when it ends. In a log pattern: {@code %X{sagaId}}.
 *
 * <pre>{@code
 * logging.pattern.correlation=[%X{sagaName:-} %X{sagaId:-}]
 * }</pre>
 */
public class SagaMdcListener implements SagaListener {

    /** The MDC key of the outermost saga's id. */
    public static final String SAGA_ID = "sagaId";
    /** The MDC key of the outermost saga's name. */
    public static final String SAGA_NAME = "sagaName";

    private final ThreadFrames<MdcFrame> frames = new ThreadFrames<>();

    @Override
    public void sagaStarted(SagaInfo saga) {
        frames.push(new MdcFrame(saga, Kind.SAGA, saga.name()));
    }

    @Override
    public void stepStarted(SagaInfo saga, String step) {
        frames.push(new MdcFrame(saga, Kind.STEP, step));
    }

    @Override
    public void stepPending(SagaInfo saga, String step) {
        frames.detach(saga, Kind.STEP, step);
    }

    @Override
    public void compensationPending(SagaInfo saga, String step) {
        frames.detach(saga, Kind.COMPENSATION, step);
    }

    @Override
    public void sagaPending(SagaInfo saga) {
        frames.detach(saga, Kind.SAGA, saga.name());
    }

    @Override
    public void stepCompleted(SagaInfo saga, String step, long nanos) {
        frames.end(saga, Kind.STEP, step);
    }

    @Override
    public void stepFailed(SagaInfo saga, String step, long nanos, Throwable failure) {
        frames.end(saga, Kind.STEP, step);
    }

    @Override
    public void compensationStarted(SagaInfo saga, String step) {
        frames.push(new MdcFrame(saga, Kind.COMPENSATION, step));
    }

    @Override
    public void compensationSucceeded(SagaInfo saga, String step, int attempts, long nanos) {
        frames.end(saga, Kind.COMPENSATION, step);
    }

    @Override
    public void compensationFailed(SagaInfo saga, String step, int attempts, long nanos, Throwable failure) {
        frames.end(saga, Kind.COMPENSATION, step);
    }

    @Override
    public void sagaCompleted(SagaInfo saga, long nanos) {
        endSaga(saga);
    }

    @Override
    public void sagaRolledBack(SagaInfo saga, long nanos, RollbackReport report) {
        endSaga(saga);
    }

    @Override
    public void sagaFailed(SagaInfo saga, long nanos, Throwable failure) {
        endSaga(saga);
    }

    private void endSaga(SagaInfo saga) {
        frames.end(saga, Kind.SAGA, saga.name());
        frames.forget(saga);
    }

    /** The saga's entries in this thread's MDC, and the values they replaced. */
    static final class MdcFrame extends ThreadFrames.Frame {

        private final String previousId;
        private final String previousName;

        MdcFrame(SagaInfo saga, Kind kind, String name) {
            super(saga, kind, name);
            this.previousId = MDC.get(SAGA_ID);
            this.previousName = MDC.get(SAGA_NAME);
            MDC.put(SAGA_ID, saga.id());
            MDC.put(SAGA_NAME, saga.name());
        }

        @Override
        void unbind() {
            restore(SAGA_ID, previousId);
            restore(SAGA_NAME, previousName);
        }

        private static void restore(String key, String value) {
            if (value == null) {
                MDC.remove(key);
            } else {
                MDC.put(key, value);
            }
        }
    }
}
