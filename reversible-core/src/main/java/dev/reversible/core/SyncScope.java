package dev.reversible.core;

import java.util.Objects;

/** The scope a synchronous composite's body runs its steps through; valid only while the body runs. */
final class SyncScope implements SagaScope {

    private final SagaExecutor executor;
    private final SagaRun run;
    private final Journal journal;

    SyncScope(SagaExecutor executor, SagaRun run, Journal journal) {
        this.executor = executor;
        this.run = run;
        this.journal = journal;
    }

    @Override
    public <T> T run(Action<T> step) throws Exception {
        Objects.requireNonNull(step, "step must not be null");
        if (journal.isClosed()) {
            // A step run after the body returned could never be compensated: refuse it rather than lose it.
            throw new IllegalStateException("The scope of " + run + " is closed: its body has returned");
        }
        return executor.runStep(run, journal, step);
    }

    @Override
    public SagaInfo saga() {
        return run;
    }
}
