package dev.reversible.spring.jdbc;

import dev.reversible.jdbc.SagaStatus;

/**
 * An operator retried a stuck saga: its pending compensations ran, and it is now {@code COMPENSATED}, or
 * {@code STUCK} again when one of them failed once more ({@link #status()}).
 */
public final class SagaRetriedEvent extends SagaOperatorEvent {

    private static final long serialVersionUID = 1L;

    /**
     * @param source the {@link SagaOperations} that ran the retry
     * @param sagaId the saga's id
     * @param sagaName its name
     * @param status its status after the retry
     */
    public SagaRetriedEvent(Object source, String sagaId, String sagaName, SagaStatus status) {
        super(source, sagaId, sagaName, status, null);
    }

    /** @return whether every compensation is done now */
    public boolean compensated() {
        return status() == SagaStatus.COMPENSATED;
    }

    @Override
    public String operation() {
        return "retry";
    }
}
