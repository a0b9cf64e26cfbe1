package dev.reversible.spring.observation;

import dev.reversible.core.RollbackReport;
import dev.reversible.core.SagaInfo;
import dev.reversible.core.SagaListener;
import dev.reversible.spring.observation.ThreadFrames.Ended;
import dev.reversible.spring.observation.ThreadFrames.Kind;
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
 * <li>A step's starts on {@code stepStarted}; its parent is the innermost running step of the same saga on
 * this thread (rule 14: the step whose {@code forwards} started it), else the saga's. Its scope is opened on
 * this thread, so that what the step's {@code forwards} observes (a JDBC call, an HTTP client) is its child;
 * {@code stepCompleted} / {@code stepFailed} close the scope and stop it. When the step ends on another
 * thread (an asynchronous step), it is stopped there and its scope is closed by its own thread at that
 * thread's next event.</li>
 * <li>A compensation's starts on {@code compensationStarted}, child of the saga's, and stops on
 * {@code compensationSucceeded} / {@code compensationFailed}; a step undone by its transaction's rollback is
 * an observation started and stopped at once, with the outcome {@code undone_by_transaction}.</li>
 * </ul>
 * Failures are recorded as the observation's error. Every convention is replaceable (see
 * {@link SagaObservationConvention}).
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
    private final ThreadFrames<ObservedFrame> frames = new ThreadFrames<>();

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
        frames.push(new ObservedFrame(saga, Kind.SAGA, saga.name(), observation));
    }

    @Override
    public void sagaCompleted(SagaInfo saga, long nanos) {
        if (registry.isNoop()) {
            return;   // nothing is observed: no frame, no cost beyond this check
        }
        stopSaga(saga, "completed", null);
    }

    @Override
    public void sagaRolledBack(SagaInfo saga, long nanos, RollbackReport report) {
        if (registry.isNoop()) {
            return;   // nothing is observed: no frame, no cost beyond this check
        }
        stopSaga(saga, report.isComplete() ? "compensated" : "compensation_failed", report.failure());
    }

    @Override
    public void sagaFailed(SagaInfo saga, long nanos, Throwable failure) {
        if (registry.isNoop()) {
            return;   // nothing is observed: no frame, no cost beyond this check
        }
        stopSaga(saga, "failed", failure);
    }

    private void stopSaga(SagaInfo saga, String outcome, Throwable failure) {
        Ended<ObservedFrame> ended = frames.end(saga, Kind.SAGA, saga.name());
        frames.forget(saga);
        if (ended != null) {
            Observation observation = ended.frame().observation;
            ((SagaObservationContext) observation.getContext()).setOutcome(outcome);
            stop(observation, failure);
        }
    }

    @Override
    public void stepStarted(SagaInfo saga, String step) {
        if (registry.isNoop()) {
            return;   // nothing is observed: no frame, no cost beyond this check
        }
        ObservedFrame parent = frames.parentOf(saga);
        StepObservationContext context = new StepObservationContext(saga.name(), saga.id(), step);
        Observation observation = Observation.createNotStarted(stepConvention, DefaultStepObservationConvention.INSTANCE,
                () -> context, registry);
        if (parent != null) {
            observation.parentObservation(parent.observation);
        }
        frames.push(new ObservedFrame(saga, Kind.STEP, step, observation.start()));
    }

    @Override
    public void stepPending(SagaInfo saga, String step) {
        if (registry.isNoop()) {
            return;   // nothing is observed: no frame, no cost beyond this check
        }
        frames.detach(saga, Kind.STEP, step);
    }

    @Override
    public void compensationPending(SagaInfo saga, String step) {
        if (registry.isNoop()) {
            return;   // nothing is observed: no frame, no cost beyond this check
        }
        frames.detach(saga, Kind.COMPENSATION, step);
    }

    @Override
    public void sagaPending(SagaInfo saga) {
        if (registry.isNoop()) {
            return;   // nothing is observed: no frame, no cost beyond this check
        }
        frames.detach(saga, Kind.SAGA, saga.name());
    }

    @Override
    public void stepCompleted(SagaInfo saga, String step, long nanos) {
        if (registry.isNoop()) {
            return;   // nothing is observed: no frame, no cost beyond this check
        }
        stopStep(saga, step, "completed", null);
    }

    @Override
    public void stepFailed(SagaInfo saga, String step, long nanos, Throwable failure) {
        if (registry.isNoop()) {
            return;   // nothing is observed: no frame, no cost beyond this check
        }
        stopStep(saga, step, "failed", failure);
    }

    private void stopStep(SagaInfo saga, String step, String outcome, Throwable failure) {
        Ended<ObservedFrame> ended = frames.end(saga, Kind.STEP, step);
        if (ended != null) {
            Observation observation = ended.frame().observation;
            ((StepObservationContext) observation.getContext()).setOutcome(outcome);
            stop(observation, failure);
        }
    }

    @Override
    public void compensationStarted(SagaInfo saga, String step) {
        if (registry.isNoop()) {
            return;   // nothing is observed: no frame, no cost beyond this check
        }
        Observation observation = compensation(saga, step);
        frames.push(new ObservedFrame(saga, Kind.COMPENSATION, step, observation.start()));
    }

    @Override
    public void compensationSucceeded(SagaInfo saga, String step, int attempts, long nanos) {
        if (registry.isNoop()) {
            return;   // nothing is observed: no frame, no cost beyond this check
        }
        stopCompensation(saga, step, "compensated", attempts, null);
    }

    @Override
    public void compensationFailed(SagaInfo saga, String step, int attempts, long nanos, Throwable failure) {
        if (registry.isNoop()) {
            return;   // nothing is observed: no frame, no cost beyond this check
        }
        stopCompensation(saga, step, "failed", attempts, failure);
    }

    @Override
    public void stepUndoneByTransaction(SagaInfo saga, String step) {
        if (registry.isNoop()) {
            return;   // nothing is observed: no frame, no cost beyond this check
        }
        Observation observation = compensation(saga, step);
        CompensationObservationContext context = (CompensationObservationContext) observation.getContext();
        context.setOutcome("undone_by_transaction");
        observation.start().stop();
    }

    private Observation compensation(SagaInfo saga, String step) {
        CompensationObservationContext context = new CompensationObservationContext(saga.name(), saga.id(), step);
        Observation observation = Observation.createNotStarted(compensationConvention,
                DefaultCompensationObservationConvention.INSTANCE, () -> context, registry);
        // Compensations are the saga's children, whichever step's failure led to them.
        ObservedFrame sagaFrame = frames.sagaFrame(saga);
        if (sagaFrame != null) {
            observation.parentObservation(sagaFrame.observation);
        }
        return observation;
    }

    private void stopCompensation(SagaInfo saga, String step, String outcome, int attempts, Throwable failure) {
        Ended<ObservedFrame> ended = frames.end(saga, Kind.COMPENSATION, step);
        if (ended != null) {
            Observation observation = ended.frame().observation;
            CompensationObservationContext context = (CompensationObservationContext) observation.getContext();
            context.setOutcome(outcome);
            context.setAttempts(attempts);
            stop(observation, failure);
        }
    }

    private static void stop(Observation observation, Throwable failure) {
        if (failure != null) {
            observation.error(failure);
        }
        observation.stop();
    }

    /** An observation, and its scope on the thread it started on. */
    static final class ObservedFrame extends ThreadFrames.Frame {

        final Observation observation;
        private final Observation.Scope scope;

        ObservedFrame(SagaInfo saga, Kind kind, String name, Observation observation) {
            super(saga, kind, name);
            this.observation = observation;
            this.scope = observation.openScope();
        }

        @Override
        void unbind() {
            scope.close();
        }
    }
}
