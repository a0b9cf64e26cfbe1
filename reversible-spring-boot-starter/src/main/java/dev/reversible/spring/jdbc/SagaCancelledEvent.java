package dev.reversible.spring.jdbc;

import dev.reversible.jdbc.SagaStatus;

/**
 * An operator cancelled a running saga: it fails at its next step boundary, on whichever instance runs it, and is
 * compensated. Its status here is the one it had when the request was recorded ({@code RUNNING}).
 */
public final class SagaCancelledEvent extends SagaOperatorEvent {

    private static final long serialVersionUID = 1L;

    /**
     * @param source the {@link SagaOperations} that recorded the request
     * @param sagaId the saga's id
     * @param sagaName its name
     * @param status its status when cancelled
     */
    public SagaCancelledEvent(Object source, String sagaId, String sagaName, SagaStatus status) {
        super(source, sagaId, sagaName, status, null);
    }

    @Override
    public String operation() {
        return "cancel";
    }
}
