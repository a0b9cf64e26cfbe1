package dev.reversible.demo.order;

import java.util.List;

import dev.reversible.core.CompensationFailedException;

/**
 * An order whose saga failed, with what its rollback really did — read back from the compensation
 * handlers' records, not assumed. The cause is what the saga threw: the failing step's exception, or a
 * {@link CompensationFailedException} carrying it when a compensation failed too.
 */
public class OrderFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final long orderId;
    private final OrderStatus orderStatus;
    private final String sagaName;
    private final String sagaId;
    private final String failedStep;
    // Immutable lists (List.copyOf), serializable in practice; the exception is never serialized in the demo anyway.
    @SuppressWarnings("serial")
    private final List<String> compensatedSteps;
    @SuppressWarnings("serial")
    private final List<String> pendingSteps;

    /**
     * @param orderId the order
     * @param orderStatus the order's status once the saga returned: {@link OrderStatus#CANCELLED},
     *     {@link OrderStatus#COMPENSATION_FAILED}, or {@link OrderStatus#PENDING} while the journal still compensates it
     *     in the background
     * @param sagaName the saga's name
     * @param sagaId the saga execution's id, or {@code null} when no compensation ran
     * @param failedStep the step that failed, or {@code null} when the failure was not a step's
     * @param compensatedSteps the steps whose effects were undone, in the order they were undone
     * @param cause what the saga threw
     */
    public OrderFailedException(long orderId, OrderStatus orderStatus, String sagaName, String sagaId, String failedStep,
            List<String> compensatedSteps, RuntimeException cause) {
        super("Order " + orderId + " failed: " + businessFailure(cause).getMessage(), cause);
        this.orderId = orderId;
        this.orderStatus = orderStatus;
        this.sagaName = sagaName;
        this.sagaId = sagaId;
        this.failedStep = failedStep;
        this.compensatedSteps = List.copyOf(compensatedSteps);
        this.pendingSteps = cause instanceof CompensationFailedException incomplete ? List.copyOf(incomplete.pending()) : List.of();
    }

    private static Throwable businessFailure(Throwable failure) {
        return failure instanceof CompensationFailedException incomplete ? incomplete.getCause() : failure;
    }

    /** @return the failure that started the rollback (unwrapped from a {@link CompensationFailedException}) */
    public Throwable businessFailure() {
        return businessFailure(getCause());
    }

    /** @return whether a compensation failed, leaving {@link #pendingSteps()} in place */
    public boolean isCompensationFailed() {
        return getCause() instanceof CompensationFailedException;
    }

    /** @return the order's id */
    public long orderId() {
        return orderId;
    }

    /** @return the status the order ended in */
    public OrderStatus orderStatus() {
        return orderStatus;
    }

    /** @return the saga's name */
    public String sagaName() {
        return sagaName;
    }

    /** @return the saga execution's id, or {@code null} */
    public String sagaId() {
        return sagaId;
    }

    /** @return the step that failed, or {@code null} */
    public String failedStep() {
        return failedStep;
    }

    /** @return the steps whose effects were undone, in the order they were undone */
    public List<String> compensatedSteps() {
        return compensatedSteps;
    }

    /** @return the steps left un-compensated, in rollback order (empty unless a compensation failed) */
    public List<String> pendingSteps() {
        return pendingSteps;
    }
}
