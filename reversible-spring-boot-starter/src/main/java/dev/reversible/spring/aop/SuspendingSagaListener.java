package dev.reversible.spring.aop;

import dev.reversible.core.RollbackReport;
import dev.reversible.core.SagaInfo;
import dev.reversible.core.SagaListener;

/**
 * Calls an application's {@link SagaListener} with the running saga unbound from the thread, as
 * compensation handlers are: an annotated bean the listener calls then runs as a saga of its own, never
 * as a step of the saga it is observing (observing a saga must not change it — core rule 11).
 *
 * <pre>{@code
 * builder.listener(SuspendingSagaListener.of(auditListener));
 * }</pre>
 */
public final class SuspendingSagaListener implements SagaListener {

    private final SagaListener delegate;

    private SuspendingSagaListener(SagaListener delegate) {
        this.delegate = delegate;
    }

    /**
     * @param listener the application's listener
     * @return it, wrapped once
     */
    public static SagaListener of(SagaListener listener) {
        return listener instanceof SuspendingSagaListener ? listener : new SuspendingSagaListener(listener);
    }

    @Override
    public void sagaStarted(SagaInfo saga) {
        SagaThread suspended = SagaThread.suspend();
        try {
            delegate.sagaStarted(saga);
        } finally {
            SagaThread.resume(suspended);
        }
    }

    @Override
    public void stepCompleted(SagaInfo saga, String step, long nanos) {
        SagaThread suspended = SagaThread.suspend();
        try {
            delegate.stepCompleted(saga, step, nanos);
        } finally {
            SagaThread.resume(suspended);
        }
    }

    @Override
    public void stepFailed(SagaInfo saga, String step, long nanos, Throwable failure) {
        SagaThread suspended = SagaThread.suspend();
        try {
            delegate.stepFailed(saga, step, nanos, failure);
        } finally {
            SagaThread.resume(suspended);
        }
    }

    @Override
    public void compensationSucceeded(SagaInfo saga, String step, int attempts, long nanos) {
        SagaThread suspended = SagaThread.suspend();
        try {
            delegate.compensationSucceeded(saga, step, attempts, nanos);
        } finally {
            SagaThread.resume(suspended);
        }
    }

    @Override
    public void compensationFailed(SagaInfo saga, String step, int attempts, long nanos, Throwable failure) {
        SagaThread suspended = SagaThread.suspend();
        try {
            delegate.compensationFailed(saga, step, attempts, nanos, failure);
        } finally {
            SagaThread.resume(suspended);
        }
    }

    @Override
    public void sagaCompleted(SagaInfo saga, long nanos) {
        SagaThread suspended = SagaThread.suspend();
        try {
            delegate.sagaCompleted(saga, nanos);
        } finally {
            SagaThread.resume(suspended);
        }
    }

    @Override
    public void sagaRolledBack(SagaInfo saga, long nanos, RollbackReport report) {
        SagaThread suspended = SagaThread.suspend();
        try {
            delegate.sagaRolledBack(saga, nanos, report);
        } finally {
            SagaThread.resume(suspended);
        }
    }

    @Override
    public void sagaFailed(SagaInfo saga, long nanos, Throwable failure) {
        SagaThread suspended = SagaThread.suspend();
        try {
            delegate.sagaFailed(saga, nanos, failure);
        } finally {
            SagaThread.resume(suspended);
        }
    }

    @Override
    public String toString() {
        return delegate.toString();
    }
}
