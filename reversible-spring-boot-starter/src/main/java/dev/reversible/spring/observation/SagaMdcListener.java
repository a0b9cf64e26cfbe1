package dev.reversible.spring.observation;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.reversible.core.RollbackReport;
import dev.reversible.core.SagaInfo;
import dev.reversible.core.SagaListener;
import dev.reversible.core.StepInfo;

import org.slf4j.MDC;

/**
 * Puts the saga's id and name in SLF4J's MDC ({@value #SAGA_ID}, {@value #SAGA_NAME}) while a saga's body, a
 * step's {@code forwards} or a compensation runs, on the thread it runs on, so that every log line written
 * meanwhile can be tied to its saga; restores the values found there before (those of an enclosing saga, or
 * none) when it ends. In a log pattern: {@code %X{sagaId}}. Events carry the saga and the step as objects: what
 * was put for one is kept with it and given back on the thread it was put on, never paired by name.
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

    /** What each running saga put in its thread's MDC. */
    private final Map<SagaInfo, MdcFrame> sagas = new ConcurrentHashMap<>();
    /**
     * What a step or compensation put in its thread's MDC. A step or compensation that runs on a thread whose
     * MDC already names its saga (the saga's own thread: the usual case) puts nothing, so a step costs one MDC
     * look-up; one on another thread, or in a nested saga's compensation, puts its saga.
     */
    private final Map<StepInfo, MdcFrame> steps = new ConcurrentHashMap<>();
    private final Map<StepInfo, MdcFrame> compensations = new ConcurrentHashMap<>();

    @Override
    public void sagaStarted(SagaInfo saga) {
        sagas.put(saga, new MdcFrame(saga));
    }

    @Override
    public void stepStarted(SagaInfo saga, StepInfo step) {
        if (!named(saga)) {
            steps.put(step, new MdcFrame(saga));
        }
    }

    @Override
    public void compensationStarted(SagaInfo saga, StepInfo step) {
        if (!named(saga)) {
            compensations.put(step, new MdcFrame(saga));
        }
    }

    @Override
    public void stepPending(SagaInfo saga, StepInfo step) {
        leave(steps.isEmpty() ? null : steps.get(step));
    }

    @Override
    public void compensationPending(SagaInfo saga, StepInfo step) {
        leave(compensations.get(step));
    }

    @Override
    public void sagaPending(SagaInfo saga) {
        leave(sagas.get(saga));
    }

    @Override
    public void stepCompleted(SagaInfo saga, StepInfo step, long nanos) {
        leave(ownFrame(step));
    }

    @Override
    public void stepFailed(SagaInfo saga, StepInfo step, long nanos, Throwable failure) {
        leave(ownFrame(step));
    }

    /**
     * @return what the step put in its thread's MDC, taken out of the map, or {@code null}: usually the map is empty
     *     (steps run on their saga's thread), and a look-up that removes nothing is then skipped
     */
    private MdcFrame ownFrame(StepInfo step) {
        return steps.isEmpty() ? null : steps.remove(step);
    }

    /**
     * The MDC is put back when a step ends, whatever it took. A subclass gets real durations (it may override a
     * step's end to read them), unless it says otherwise.
     */
    @Override
    public boolean ignoresStepDurations() {
        return getClass() == SagaMdcListener.class;
    }

    @Override
    public void compensationSucceeded(SagaInfo saga, StepInfo step, int attempts, long nanos) {
        leave(compensations.remove(step));
    }

    @Override
    public void compensationFailed(SagaInfo saga, StepInfo step, int attempts, long nanos, Throwable failure) {
        leave(compensations.remove(step));
    }

    @Override
    public void sagaCompleted(SagaInfo saga, long nanos) {
        leave(sagas.remove(saga));
    }

    @Override
    public void sagaRolledBack(SagaInfo saga, long nanos, RollbackReport report) {
        leave(sagas.remove(saga));
    }

    @Override
    public void sagaFailed(SagaInfo saga, long nanos, Throwable failure) {
        leave(sagas.remove(saga));
    }

    /** @return whether this thread's MDC names {@code saga} already */
    private static boolean named(SagaInfo saga) {
        return saga.id().equals(MDC.get(SAGA_ID));
    }

    private static void leave(MdcFrame frame) {
        if (frame != null) {
            frame.leaveThread();
        }
    }

    /**
     * The saga's entries in one thread's MDC, and the values they replaced: given back once, on that thread —
     * when the work ends there, or when it leaves the thread still running ({@code …Pending}). An end reported
     * on another thread finds its MDC given back already.
     */
    static final class MdcFrame {

        private final Thread thread = Thread.currentThread();
        private final String previousId;
        private final String previousName;
        private boolean restored;

        MdcFrame(SagaInfo saga) {
            this.previousId = MDC.get(SAGA_ID);
            this.previousName = MDC.get(SAGA_NAME);
            MDC.put(SAGA_ID, saga.id());
            MDC.put(SAGA_NAME, saga.name());
        }

        void leaveThread() {
            if (thread == Thread.currentThread() && !restored) {
                restored = true;
                restore(SAGA_ID, previousId);
                restore(SAGA_NAME, previousName);
            }
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
