package dev.reversible.spring.logging;

import dev.reversible.core.RollbackReport;
import dev.reversible.core.SagaInfo;
import dev.reversible.core.SagaListener;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Logs what operators must see: one WARN line per rolled-back saga summarising what was undone, and one
 * ERROR with the stack trace per compensation that failed on every attempt. Nothing on the success path.
 *
 * <pre>{@code
 * WARN  Saga OrderService.placeOrder (3f2a-17) rolled back after step chargeAccount failed with
 *       InsufficientFundsException: balance 20.00 < 25.00; compensated [reserveStock]
 * }</pre>
 */
public class SagaLoggingListener implements SagaListener {

    private static final Log LOG = LogFactory.getLog(SagaLoggingListener.class);

    @Override
    public void sagaRolledBack(SagaInfo saga, long nanos, RollbackReport report) {
        if (!LOG.isWarnEnabled()) {
            return;
        }
        Throwable failure = report.failure();
        StringBuilder line = new StringBuilder("Saga ").append(saga.name()).append(" (").append(saga.id()).append(") rolled back");
        line.append(report.failedStep() != null ? " after step " + report.failedStep() + " failed" : " after it failed");
        line.append(" with ").append(failure == null ? "no exception" : failure.getClass().getSimpleName() + ": " + failure.getMessage());
        line.append("; compensated ").append(report.compensated());
        if (!report.undoneByTransaction().isEmpty()) {
            line.append("; undone by their transaction's rollback ").append(report.undoneByTransaction());
        }
        if (!report.isComplete()) {
            line.append("; compensations failed ").append(report.failedCompensations())
                    .append("; left un-compensated ").append(report.pending());
        }
        LOG.warn(line);
    }

    @Override
    public void compensationFailed(SagaInfo saga, String step, int attempts, long nanos, Throwable failure) {
        LOG.error("Compensation of step " + step + " in saga " + saga.name() + " (" + saga.id() + ") failed after " + attempts
                + (attempts == 1 ? " attempt" : " attempts") + "; the step is left un-compensated", failure);
    }

    /**
     * Logs rollbacks and failed compensations, nothing of a step's {@code forwards}: a step costs it nothing. A
     * subclass hears every event (it may override one), unless it says otherwise.
     */
    @Override
    public boolean ignoresStepEvents() {
        return getClass() == SagaLoggingListener.class;
    }
}
