package dev.reversible.spring.observation;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.reversible.core.RollbackReport;
import dev.reversible.core.SagaInfo;
import dev.reversible.core.SagaListener;
import dev.reversible.core.StepInfo;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

/**
 * Turns the executor's events into Micrometer observations: {@code reversible.saga} per outermost saga,
 * {@code reversible.step} per step and {@code reversible.compensation} per compensation. Micrometer's meter
 * observation handler derives the timers of the same names (and the long-task timer
 * {@code reversible.saga.active}) from them; with a tracing bridge each saga is a span.
 *
 * <ul>
 * <li>A saga's observation starts on {@code sagaStarted}, its parent being the observation current on that
 * thread (an HTTP request's, say); it stops on {@code sagaCompleted}, {@code sagaRolledBack} or
 * {@code sagaFailed}.</li>
 * <li>A step's starts on {@code stepStarted}; its parent is the observation of the step whose {@code forwards}
 * started it (rule 14: {@link StepInfo#parentIndex()}), else the saga's. Its scope is opened on this thread, so
 * that what the step's {@code forwards} observes (a JDBC call, an HTTP client) is its child;
 * {@code stepCompleted} / {@code stepFailed} close the scope and stop it. An asynchronous step's scope is
 * closed on its own thread when its {@code forwards} returns ({@code stepPending}); it is stopped wherever its
 * future completes.</li>
 * <li>A compensation's starts on {@code compensationStarted}, child of the saga's, and stops on
 * {@code compensationSucceeded} / {@code compensationFailed}; a step undone by its transaction's rollback is
 * an observation started and stopped at once, with the outcome {@code undone_by_transaction}.</li>
 * </ul>
 * Events carry the saga and the step as objects, the same ones from start to end: each observation is kept
 * with its saga or step, never paired by name or by thread. Failures are recorded as the observation's error.
 * Every convention is replaceable (see {@link SagaObservationConvention}).
 *
 * <pre>{@code
 * SagaExecutor executor = Reversible.executor()
 *     .listener(new SagaObservationListener(observationRegistry))
 *     .build();
 * }</pre>
 */
public class SagaObservationListener implements SagaListener {

    private final ObservationRegistry registry;
    private final SagaObservationConvention sagaConvention;
    private final StepObservationConvention stepConvention;
    private final CompensationObservationConvention compensationConvention;
    /** The running sagas' observations, with their running steps' by index (a child step's parent). */
    private final Map<SagaInfo, SagaFrame> sagas = new ConcurrentHashMap<>();
    /** The running steps' observations, by step object (events carry the same one from start to end). */
    private final Map<StepInfo, Frame> steps = new ConcurrentHashMap<>();
    /** The running compensations' observations, by step object. */
    private final Map<StepInfo, Frame> compensations = new ConcurrentHashMap<>();

    /** @param registry where the observations go; the default conventions */
    public SagaObservationListener(ObservationRegistry registry) {
        this(registry, null, null, null);
    }

    /**
     * @param registry where the observations go
     * @param sagaConvention replaces the default saga convention, or {@code null}
     * @param stepConvention replaces the default step convention, or {@code null}
     * @param compensationConvention replaces the default compensation convention, or {@code null}
     */
    public SagaObservationListener(ObservationRegistry registry, SagaObservationConvention sagaConvention,
            StepObservationConvention stepConvention, CompensationObservationConvention compensationConvention) {
        this.registry = registry;
        this.sagaConvention = sagaConvention;
        this.stepConvention = stepConvention;
        this.compensationConvention = compensationConvention;
    }

    @Override
    public void sagaStarted(SagaInfo saga) {
        if (registry.isNoop()) {
            return;   // nothing is observed: no frame, no cost beyond this check
        }
        SagaObservationContext context = new SagaObservationContext(saga.name(), saga.id());
        Observation observation = Observation.createNotStarted(sagaConvention, DefaultSagaObservationConvention.INSTANCE,
                () -> context, registry).start();
        sagas.put(saga, new SagaFrame(observation));
    }

    @Override
    public void sagaPending(SagaInfo saga) {
        SagaFrame frame = sagas.get(saga);
        if (frame != null) {
            frame.leaveThread();
        }
    }

    @Override
    public void sagaCompleted(SagaInfo saga, long nanos) {
        stopSaga(saga, "completed", null);
    }

    @Override
    public void sagaRolledBack(SagaInfo saga, long nanos, RollbackReport report) {
        stopSaga(saga, report.isComplete() ? "compensated" : "compensation_failed", report.failure());
    }

    @Override
    public void sagaFailed(SagaInfo saga, long nanos, Throwable failure) {
        stopSaga(saga, "failed", failure);
    }

    private void stopSaga(SagaInfo saga, String outcome, Throwable failure) {
        SagaFrame frame = sagas.remove(saga);
        if (frame != null) {
            frame.leaveThread();
            ((SagaObservationContext) frame.observation.getContext()).setOutcome(outcome);
            stop(frame.observation, failure);
        }
    }

    @Override
    public void stepStarted(SagaInfo saga, StepInfo step) {
        if (registry.isNoop()) {
            return;   // nothing is observed: no frame, no cost beyond this check
        }
        SagaFrame sagaFrame = sagas.get(saga);
        StepObservationContext context = new StepObservationContext(saga.name(), saga.id(), step.name());
        Observation observation = Observation.createNotStarted(stepConvention, DefaultStepObservationConvention.INSTANCE,
                () -> context, registry);
        if (sagaFrame != null) {
            sagaFrame.shareKeyValues(context);
            observation.parentObservation(sagaFrame.parentOf(step));
        }
        Frame frame = new Frame(observation.start());
        steps.put(step, frame);
        if (sagaFrame != null) {
            sagaFrame.running.put(step.index(), frame.observation);
        }
    }

    @Override
    public void stepPending(SagaInfo saga, StepInfo step) {
        Frame frame = steps.get(step);
        if (frame != null) {
            frame.leaveThread();
        }
    }

    @Override
    public void stepCompleted(SagaInfo saga, StepInfo step, long nanos) {
        stopStep(saga, step, "completed", null);
    }

    @Override
    public void stepFailed(SagaInfo saga, StepInfo step, long nanos, Throwable failure) {
        stopStep(saga, step, "failed", failure);
    }

    /** Observations time themselves, on the registry's clock: the executor need not read one for them. */
    @Override
    public boolean ignoresStepDurations() {
        return true;
    }

    private void stopStep(SagaInfo saga, StepInfo step, String outcome, Throwable failure) {
        Frame frame = steps.remove(step);
        if (frame != null) {
            SagaFrame sagaFrame = sagas.get(saga);
            if (sagaFrame != null) {
                sagaFrame.running.remove(step.index(), frame.observation);
            }
            frame.leaveThread();
            ((StepObservationContext) frame.observation.getContext()).setOutcome(outcome);
            stop(frame.observation, failure);
        }
    }

    @Override
    public void compensationStarted(SagaInfo saga, StepInfo step) {
        if (registry.isNoop()) {
            return;   // nothing is observed: no frame, no cost beyond this check
        }
        compensations.put(step, new Frame(compensation(saga, step).start()));
    }

    @Override
    public void compensationPending(SagaInfo saga, StepInfo step) {
        Frame frame = compensations.get(step);
        if (frame != null) {
            frame.leaveThread();
        }
    }

    @Override
    public void compensationSucceeded(SagaInfo saga, StepInfo step, int attempts, long nanos) {
        stopCompensation(step, "compensated", attempts, null);
    }

    @Override
    public void compensationFailed(SagaInfo saga, StepInfo step, int attempts, long nanos, Throwable failure) {
        stopCompensation(step, "failed", attempts, failure);
    }

    @Override
    public void stepUndoneByTransaction(SagaInfo saga, StepInfo step) {
        if (registry.isNoop()) {
            return;   // nothing is observed: no frame, no cost beyond this check
        }
        Observation observation = compensation(saga, step);
        CompensationObservationContext context = (CompensationObservationContext) observation.getContext();
        context.setOutcome("undone_by_transaction");
        observation.start().stop();
    }

    private Observation compensation(SagaInfo saga, StepInfo step) {
        CompensationObservationContext context = new CompensationObservationContext(saga.name(), saga.id(), step.name());
        Observation observation = Observation.createNotStarted(compensationConvention,
                DefaultCompensationObservationConvention.INSTANCE, () -> context, registry);
        // Compensations are the saga's children, whichever step's failure led to them.
        SagaFrame sagaFrame = sagas.get(saga);
        if (sagaFrame != null) {
            sagaFrame.shareKeyValues(context);
            observation.parentObservation(sagaFrame.observation);
        }
        return observation;
    }

    private void stopCompensation(StepInfo step, String outcome, int attempts, Throwable failure) {
        Frame frame = compensations.remove(step);
        if (frame != null) {
            frame.leaveThread();
            CompensationObservationContext context = (CompensationObservationContext) frame.observation.getContext();
            context.setOutcome(outcome);
            context.setAttempts(attempts);
            stop(frame.observation, failure);
        }
    }

    private static void stop(Observation observation, Throwable failure) {
        if (failure != null) {
            observation.error(failure);
        }
        observation.stop();
    }

    /**
     * An observation, and its scope on the thread it started on: closed there, once — when the work ends on
     * that thread, or when it leaves the thread still running (an asynchronous step, saga or compensation).
     * Scopes on one thread close in reverse order of opening because the work they stand for nests there.
     */
    static class Frame {

        final Observation observation;
        private final Thread thread = Thread.currentThread();
        private Observation.Scope scope;

        Frame(Observation observation) {
            this.observation = observation;
            this.scope = observation.openScope();
        }

        /** Closes the scope if this is its thread; elsewhere the scope was closed by its own thread already. */
        final void leaveThread() {
            if (thread == Thread.currentThread() && scope != null) {
                Observation.Scope open = scope;
                scope = null;
                open.close();
            }
        }
    }

    /** A saga's observation, and the observations of its running steps by index: a child step's parent. */
    static final class SagaFrame extends Frame {

        final Map<Integer, Observation> running = new ConcurrentHashMap<>();
        /** The saga's high-cardinality key values, made by its first step's or compensation's context. */
        private volatile KeyValues keyValues;

        SagaFrame(Observation observation) {
            super(observation);
        }

        /** Gives {@code context} the key values of this saga, made once by the first context that asks. */
        void shareKeyValues(ActionObservationContext context) {
            KeyValues shared = keyValues;
            if (shared == null) {
                keyValues = context.getSagaKeyValues();
            } else {
                context.shareSagaKeyValues(shared);
            }
        }

        /** @return the observation of the step whose {@code forwards} started {@code step} (rule 14), else the saga's */
        Observation parentOf(StepInfo step) {
            Observation parent = step.parentIndex() < 0 ? null : running.get(step.parentIndex());
            return parent != null ? parent : observation;
        }
    }
}
