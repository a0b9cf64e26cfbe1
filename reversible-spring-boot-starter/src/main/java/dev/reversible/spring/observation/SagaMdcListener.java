package dev.reversible.spring.observation;

import java.util.ArrayDeque;

import dev.reversible.core.RollbackReport;
import dev.reversible.core.SagaInfo;
import dev.reversible.core.SagaListener;

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

    /**
     * Per thread, what this listener put in the MDC, innermost first. A step or compensation that runs on a
     * thread whose MDC already names its saga (the saga's own thread: the usual case) puts nothing, so a
     * step costs one MDC look-up; one on another thread, or in a nested saga's compensation, puts its saga.
     */
    private final ThreadLocal<ArrayDeque<MdcFrame>> frames = new ThreadLocal<>();

    @Override
    public void sagaStarted(SagaInfo saga) {
        push(new MdcFrame(saga, Kind.SAGA, saga.name()));
    }

    @Override
    public void stepStarted(SagaInfo saga, String step) {
        if (!named(saga)) {
            push(new MdcFrame(saga, Kind.STEP, step));
        }
    }

    @Override
    public void compensationStarted(SagaInfo saga, String step) {
        if (!named(saga)) {
            push(new MdcFrame(saga, Kind.COMPENSATION, step));
        }
    }

    @Override
    public void stepPending(SagaInfo saga, String step) {
        pop(saga, Kind.STEP, step);
    }

    @Override
    public void compensationPending(SagaInfo saga, String step) {
        pop(saga, Kind.COMPENSATION, step);
    }

    @Override
    public void sagaPending(SagaInfo saga) {
        pop(saga, Kind.SAGA, saga.name());
    }

    @Override
    public void stepCompleted(SagaInfo saga, String step, long nanos) {
        pop(saga, Kind.STEP, step);
    }

    @Override
    public void stepFailed(SagaInfo saga, String step, long nanos, Throwable failure) {
        pop(saga, Kind.STEP, step);
    }

    @Override
    public void compensationSucceeded(SagaInfo saga, String step, int attempts, long nanos) {
        pop(saga, Kind.COMPENSATION, step);
    }

    @Override
    public void compensationFailed(SagaInfo saga, String step, int attempts, long nanos, Throwable failure) {
        pop(saga, Kind.COMPENSATION, step);
    }

    @Override
    public void sagaCompleted(SagaInfo saga, long nanos) {
        pop(saga, Kind.SAGA, saga.name());
    }

    @Override
    public void sagaRolledBack(SagaInfo saga, long nanos, RollbackReport report) {
        pop(saga, Kind.SAGA, saga.name());
    }

    @Override
    public void sagaFailed(SagaInfo saga, long nanos, Throwable failure) {
        pop(saga, Kind.SAGA, saga.name());
    }

    /** @return whether this thread's MDC names {@code saga} already */
    private static boolean named(SagaInfo saga) {
        return saga.id().equals(MDC.get(SAGA_ID));
    }

    private void push(MdcFrame frame) {
        ArrayDeque<MdcFrame> stack = frames.get();
        if (stack == null) {
            stack = new ArrayDeque<>(4);
            frames.set(stack);
        }
        stack.push(frame);
    }

    /**
     * Gives back what the frame of this event put in this thread's MDC, with whatever lies above it (which
     * has ended too: the thread's own call stack says so). An end reported on another thread than its
     * start finds nothing here: its own thread gave its MDC back when the work left it ({@code …Pending}).
     */
    private void pop(SagaInfo saga, Kind kind, String name) {
        ArrayDeque<MdcFrame> stack = frames.get();
        if (stack == null) {
            return;
        }
        MdcFrame found = null;
        for (MdcFrame frame : stack) {
            if (frame.saga == saga && frame.kind == kind && frame.name.equals(name)) {
                found = frame;
                break;
            }
        }
        if (found != null) {
            MdcFrame top;
            do {
                top = stack.pop();
                top.restore();
            } while (top != found);
        }
        if (stack.isEmpty()) {
            frames.remove();
        }
    }

    /** What a saga, step or compensation frame is. */
    enum Kind {
        SAGA, STEP, COMPENSATION
    }

    /** The saga's entries in this thread's MDC, and the values they replaced. */
    static final class MdcFrame {

        final SagaInfo saga;
        final Kind kind;
        final String name;
        private final String previousId;
        private final String previousName;

        MdcFrame(SagaInfo saga, Kind kind, String name) {
            this.saga = saga;
            this.kind = kind;
            this.name = name;
            this.previousId = MDC.get(SAGA_ID);
            this.previousName = MDC.get(SAGA_NAME);
            MDC.put(SAGA_ID, saga.id());
            MDC.put(SAGA_NAME, saga.name());
        }

        void restore() {
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
