package dev.reversible.core.engine;

import dev.reversible.core.RollbackReport;
import dev.reversible.core.SagaInfo;
import dev.reversible.core.SagaListener;
import dev.reversible.core.StepInfo;

import java.lang.System.Logger.Level;
import java.util.List;

/**
 * Fans each event out to every listener — the events of a step's {@code forwards} only to those that do not
 * {@linkplain SagaListener#ignoresStepEvents() ignore them} — each call guarded: a listener that throws is logged and
 * ignored, so observing a saga never changes its outcome; and every listener, however it was added,
 * runs with the saga suspended, so a step it starts is a saga of its own. One explicit loop per event, rather than a
 * lambda per call, so that listening allocates nothing on the hot path.
 */
final class Listeners implements SagaListener {

    private static final System.Logger LOG = System.getLogger(Listeners.class.getName());

    private final SagaListener[] listeners;
    /**
     * The listeners that hear a step's {@code forwards} start and end (those not {@linkplain SagaListener#ignoresStepEvents()
     * ignoring them}): decided once, so that a listener of sagas and rollbacks only costs a step nothing.
     */
    private final SagaListener[] stepListeners;
    /** Whether some listener of steps reads a step's duration: decided once, so that a step reads no clock otherwise. */
    private final boolean stepDurations;

    Listeners(List<SagaListener> listeners) {
        this.listeners = listeners.toArray(new SagaListener[0]);
        this.stepListeners = listeners.stream().filter(l -> !ignoresStepEvents(l)).toArray(SagaListener[]::new);
        boolean any = false;
        for (SagaListener l : this.stepListeners) {
            any |= !ignoresStepDurations(l);
        }
        this.stepDurations = any;
    }

    boolean isEmpty() {
        return listeners.length == 0;
    }

    /** @return whether every listener ignores step durations: then a step reads no clock at its start and end */
    @Override
    public boolean ignoresStepDurations() {
        return !stepDurations;
    }

    private static boolean ignoresStepDurations(SagaListener listener) {
        try {
            return listener.ignoresStepDurations();
        } catch (Throwable e) {
            ignore(listener, e);
            return false;   // it may need them: measure
        }
    }

    private static boolean ignoresStepEvents(SagaListener listener) {
        try {
            return listener.ignoresStepEvents();
        } catch (Throwable e) {
            ignore(listener, e);
            return false;   // it may need them: send them
        }
    }

    @Override
    public void sagaStarted(SagaInfo saga) {
        ThreadScope thread = ThreadScope.bound();
        SyncScope suspended = ThreadScope.suspend(thread);
        try {
            for (SagaListener l : listeners) {
                try {
                    l.sagaStarted(saga);
                } catch (Throwable e) {
                    ignore(l, e);
                }
            }
        } finally {
            ThreadScope.resume(thread, suspended);
        }
    }

    @Override
    public void stepStarted(SagaInfo saga, StepInfo step) {
        stepStarted(saga, step, null);
    }

    /**
     * {@link #stepStarted(SagaInfo, StepInfo)} from the synchronous engine, which may have this thread's holder at hand.
     * @param hint this thread's holder as the engine last saw it, or {@code null}: spares a thread-local look-up
     */
    void stepStarted(SagaInfo saga, StepInfo step, ThreadScope hint) {
        if (stepListeners.length == 0) {
            return;
        }
        ThreadScope thread = ThreadScope.bound(hint);
        SyncScope suspended = ThreadScope.suspend(thread);
        try {
            for (SagaListener l : stepListeners) {
                try {
                    l.stepStarted(saga, step);
                } catch (Throwable e) {
                    ignore(l, e);
                }
            }
        } finally {
            ThreadScope.resume(thread, suspended);
        }
    }

    @Override
    public void compensationStarted(SagaInfo saga, StepInfo step) {
        ThreadScope thread = ThreadScope.bound();
        SyncScope suspended = ThreadScope.suspend(thread);
        try {
            for (SagaListener l : listeners) {
                try {
                    l.compensationStarted(saga, step);
                } catch (Throwable e) {
                    ignore(l, e);
                }
            }
        } finally {
            ThreadScope.resume(thread, suspended);
        }
    }

    @Override
    public void stepPending(SagaInfo saga, StepInfo step) {
        if (stepListeners.length == 0) {
            return;
        }
        ThreadScope thread = ThreadScope.bound();
        SyncScope suspended = ThreadScope.suspend(thread);
        try {
            for (SagaListener l : stepListeners) {
                try {
                    l.stepPending(saga, step);
                } catch (Throwable e) {
                    ignore(l, e);
                }
            }
        } finally {
            ThreadScope.resume(thread, suspended);
        }
    }

    @Override
    public void compensationPending(SagaInfo saga, StepInfo step) {
        ThreadScope thread = ThreadScope.bound();
        SyncScope suspended = ThreadScope.suspend(thread);
        try {
            for (SagaListener l : listeners) {
                try {
                    l.compensationPending(saga, step);
                } catch (Throwable e) {
                    ignore(l, e);
                }
            }
        } finally {
            ThreadScope.resume(thread, suspended);
        }
    }

    @Override
    public void sagaPending(SagaInfo saga) {
        ThreadScope thread = ThreadScope.bound();
        SyncScope suspended = ThreadScope.suspend(thread);
        try {
            for (SagaListener l : listeners) {
                try {
                    l.sagaPending(saga);
                } catch (Throwable e) {
                    ignore(l, e);
                }
            }
        } finally {
            ThreadScope.resume(thread, suspended);
        }
    }

    @Override
    public void stepCompleted(SagaInfo saga, StepInfo step, long nanos) {
        stepCompleted(saga, step, nanos, null);
    }

    /**
     * {@link #stepCompleted(SagaInfo, StepInfo, long)} from the synchronous engine, which has this thread's holder at hand.
     * @param hint this thread's holder as the engine last saw it (it may have been unbound since), or {@code null}
     */
    void stepCompleted(SagaInfo saga, StepInfo step, long nanos, ThreadScope hint) {
        if (stepListeners.length == 0) {
            return;
        }
        ThreadScope thread = ThreadScope.bound(hint);
        SyncScope suspended = ThreadScope.suspend(thread);
        try {
            for (SagaListener l : stepListeners) {
                try {
                    l.stepCompleted(saga, step, nanos);
                } catch (Throwable e) {
                    ignore(l, e);
                }
            }
        } finally {
            ThreadScope.resume(thread, suspended);
        }
    }

    @Override
    public void stepFailed(SagaInfo saga, StepInfo step, long nanos, Throwable failure) {
        if (stepListeners.length == 0) {
            return;
        }
        ThreadScope thread = ThreadScope.bound();
        SyncScope suspended = ThreadScope.suspend(thread);
        try {
            for (SagaListener l : stepListeners) {
                try {
                    l.stepFailed(saga, step, nanos, failure);
                } catch (Throwable e) {
                    ignore(l, e);
                }
            }
        } finally {
            ThreadScope.resume(thread, suspended);
        }
    }

    @Override
    public void compensationSucceeded(SagaInfo saga, StepInfo step, int attempts, long nanos) {
        ThreadScope thread = ThreadScope.bound();
        SyncScope suspended = ThreadScope.suspend(thread);
        try {
            for (SagaListener l : listeners) {
                try {
                    l.compensationSucceeded(saga, step, attempts, nanos);
                } catch (Throwable e) {
                    ignore(l, e);
                }
            }
        } finally {
            ThreadScope.resume(thread, suspended);
        }
    }

    @Override
    public void compensationFailed(SagaInfo saga, StepInfo step, int attempts, long nanos, Throwable failure) {
        ThreadScope thread = ThreadScope.bound();
        SyncScope suspended = ThreadScope.suspend(thread);
        try {
            for (SagaListener l : listeners) {
                try {
                    l.compensationFailed(saga, step, attempts, nanos, failure);
                } catch (Throwable e) {
                    ignore(l, e);
                }
            }
        } finally {
            ThreadScope.resume(thread, suspended);
        }
    }

    @Override
    public void stepUndoneByTransaction(SagaInfo saga, StepInfo step) {
        ThreadScope thread = ThreadScope.bound();
        SyncScope suspended = ThreadScope.suspend(thread);
        try {
            for (SagaListener l : listeners) {
                try {
                    l.stepUndoneByTransaction(saga, step);
                } catch (Throwable e) {
                    ignore(l, e);
                }
            }
        } finally {
            ThreadScope.resume(thread, suspended);
        }
    }

    @Override
    public void sagaCompleted(SagaInfo saga, long nanos) {
        ThreadScope thread = ThreadScope.bound();
        SyncScope suspended = ThreadScope.suspend(thread);
        try {
            for (SagaListener l : listeners) {
                try {
                    l.sagaCompleted(saga, nanos);
                } catch (Throwable e) {
                    ignore(l, e);
                }
            }
        } finally {
            ThreadScope.resume(thread, suspended);
        }
    }

    @Override
    public void sagaRolledBack(SagaInfo saga, long nanos, RollbackReport report) {
        ThreadScope thread = ThreadScope.bound();
        SyncScope suspended = ThreadScope.suspend(thread);
        try {
            for (SagaListener l : listeners) {
                try {
                    l.sagaRolledBack(saga, nanos, report);
                } catch (Throwable e) {
                    ignore(l, e);
                }
            }
        } finally {
            ThreadScope.resume(thread, suspended);
        }
    }

    @Override
    public void sagaFailed(SagaInfo saga, long nanos, Throwable failure) {
        ThreadScope thread = ThreadScope.bound();
        SyncScope suspended = ThreadScope.suspend(thread);
        try {
            for (SagaListener l : listeners) {
                try {
                    l.sagaFailed(saga, nanos, failure);
                } catch (Throwable e) {
                    ignore(l, e);
                }
            }
        } finally {
            ThreadScope.resume(thread, suspended);
        }
    }

    private static void ignore(SagaListener listener, Throwable failure) {
        LOG.log(Level.WARNING, "SagaListener " + listener + " failed; the saga carries on unaffected", failure);
    }
}
