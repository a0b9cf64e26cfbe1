package dev.reversible.spring.jdbc;

import dev.reversible.jdbc.SagaStatus;

/** An operator closed a stuck saga with a note: it is {@code RESOLVED}, and nothing more runs for it. */
public final class SagaResolvedEvent extends SagaOperatorEvent {

    private static final long serialVersionUID = 1L;

    /**
     * @param source the {@link SagaOperations} that resolved it
     * @param sagaId the saga's id
     * @param sagaName its name
     * @param note why the operator closed it
     */
    public SagaResolvedEvent(Object source, String sagaId, String sagaName, String note) {
        super(source, sagaId, sagaName, SagaStatus.RESOLVED, note);
    }

    @Override
    public String operation() {
        return "resolve";
    }
}
