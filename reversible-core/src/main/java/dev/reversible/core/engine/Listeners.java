package dev.reversible.core.engine;

import dev.reversible.core.RollbackReport;
import dev.reversible.core.SagaInfo;
import dev.reversible.core.SagaListener;
import dev.reversible.core.StepInfo;

import java.lang.System.Logger.Level;
import java.util.Arrays;
import java.util.List;

/**
 * Fans each event out to every listener, each call guarded: a listener that throws is logged and
 * ignored, so observing a saga never changes its outcome; and every listener, however it was added,
 * runs with the saga suspended, so a step it starts is a saga of its own. One explicit loop per event, rather than a
 * lambda per call, so that listening allocates nothing on the hot path.
 */
final class Listeners implements SagaListener {

    private static final System.Logger LOG = System.getLogger(Listeners.class.getName());

    private final SagaListener[] listeners;
    /**
     * Per step event (sent for every step), the listeners that override it in one of its forms: a listener that
     * does not hear an event costs nothing for it, and an event that nobody hears suspends nothing.
     */
    private final SagaListener[] stepStarted;
    private final SagaListener[] stepPending;
    private final SagaListener[] stepCompleted;
    private final SagaListener[] stepFailed;
    /** Whether any listener reads a step's duration: decided once, so that a step reads no clock otherwise. */
    private final boolean stepDurations;

    Listeners(List<SagaListener> listeners) {
        this.listeners = listeners.toArray(new SagaListener[0]);
        this.stepStarted = hearing("stepStarted", new Class<?>[] {SagaInfo.class, StepInfo.class},
                new Class<?>[] {SagaInfo.class, String.class, int.class, int.class}, new Class<?>[] {SagaInfo.class, String.class});
        this.stepPending = hearing("stepPending", new Class<?>[] {SagaInfo.class, StepInfo.class}, new Class<?>[] {SagaInfo.class, String.class});
        this.stepCompleted = hearing("stepCompleted", new Class<?>[] {SagaInfo.class, StepInfo.class, long.class},
                new Class<?>[] {SagaInfo.class, String.class, long.class});
        this.stepFailed = hearing("stepFailed", new Class<?>[] {SagaInfo.class, StepInfo.class, long.class, Throwable.class},
                new Class<?>[] {SagaInfo.class, String.class, long.class, Throwable.class});
        boolean any = false;
        for (SagaListener l : this.listeners) {
            any |= usesStepDurations(l);
        }
        this.stepDurations = any;
    }

    /** @return the listeners that override {@code event} in one of its {@code forms} (every listener whose class cannot be read) */
    private SagaListener[] hearing(String event, Class<?>[]... forms) {
        return Arrays.stream(listeners).filter(listener -> {
            for (Class<?>[] form : forms) {
                if (overrides(listener, event, form)) {
                    return true;
                }
            }
            return false;
        }).toArray(SagaListener[]::new);
    }

    boolean isEmpty() {
        return listeners.length == 0;
    }

    /** @return whether some listener reads the durations of step events: see {@link SagaListener#usesStepDurations()} */
    @Override
    public boolean usesStepDurations() {
        return stepDurations;
    }

    /** A listener that never overrides a step's end events cannot read their durations, whatever it says. */
    private boolean usesStepDurations(SagaListener listener) {
        boolean hearsStepEnds = contains(stepCompleted, listener) || contains(stepFailed, listener);
        try {
            return hearsStepEnds && listener.usesStepDurations();
        } catch (Throwable e) {
            ignore(listener, e);
            return true;   // it may need them: measure
        }
    }

    private static boolean contains(SagaListener[] hearing, SagaListener listener) {
        for (SagaListener l : hearing) {
            if (l == listener) {
                return true;
            }
        }
        return false;
    }

    /** @return whether the listener's class overrides that form of the event (assumed so when it cannot be told) */
    private static boolean overrides(SagaListener listener, String event, Class<?>... parameterTypes) {
        try {
            return listener.getClass().getMethod(event, parameterTypes).getDeclaringClass() != SagaListener.class;
        } catch (Throwable e) {
            return true;
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
        SagaListener[] hearing = stepStarted;
        if (hearing.length == 0) {
            return;
        }
        ThreadScope thread = ThreadScope.bound();
        SyncScope suspended = ThreadScope.suspend(thread);
        try {
            for (SagaListener l : hearing) {
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
        SagaListener[] hearing = stepPending;
        if (hearing.length == 0) {
            return;
        }
        ThreadScope thread = ThreadScope.bound();
        SyncScope suspended = ThreadScope.suspend(thread);
        try {
            for (SagaListener l : hearing) {
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
        SagaListener[] hearing = stepCompleted;
        if (hearing.length == 0) {
            return;
        }
        ThreadScope thread = ThreadScope.bound();
        SyncScope suspended = ThreadScope.suspend(thread);
        try {
            for (SagaListener l : hearing) {
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
        SagaListener[] hearing = stepFailed;
        if (hearing.length == 0) {
            return;
        }
        ThreadScope thread = ThreadScope.bound();
        SyncScope suspended = ThreadScope.suspend(thread);
        try {
            for (SagaListener l : hearing) {
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
