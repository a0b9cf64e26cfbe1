package dev.reversible.spring.jdbc;

import dev.reversible.core.RollbackReport;
import dev.reversible.core.SagaInfo;
import dev.reversible.core.SagaListener;

/**
 * Writes a saga's end to the journal: completed (deleted, or kept), failed by an excluded exception, or
 * rolled back ({@code COMPENSATED}, or kept {@code COMPENSATING} for the persistent retries). The step
 * records are {@link JdbcStepJournal}'s.
 */
public final class JournalSagaListener implements SagaListener {

    private final JdbcStepJournal steps;

    /** @param steps the step journal whose running sagas this ends */
    public JournalSagaListener(JdbcStepJournal steps) {
        this.steps = steps;
    }

    @Override
    public void sagaCompleted(SagaInfo saga, long nanos) {
        steps.sagaCompleted(saga);
    }

    @Override
    public void sagaFailed(SagaInfo saga, long nanos, Throwable failure) {
        steps.sagaFailed(saga, failure);
    }

    @Override
    public void sagaRolledBack(SagaInfo saga, long nanos, RollbackReport report) {
        steps.sagaRolledBack(saga, report.failedStep(), report.failure(), report.isComplete());
    }
}
