package dev.reversible.spring.jdbc;

import dev.reversible.jdbc.SagaStatus;

import org.springframework.context.ApplicationEvent;

/**
 * Published after an operator acted on a stuck saga through {@link SagaOperations} (or the {@code sagas}
 * actuator endpoint, which uses it): listen to it to build an audit trail, a screen or an alert.
 *
 * <pre>{@code
 * @EventListener
 * void audit(SagaOperatorEvent event) {
 *     auditLog.write(event.operation(), event.sagaId(), event.status(), event.note());
 * }
 * }</pre>
 */
public abstract sealed class SagaOperatorEvent extends ApplicationEvent permits SagaRetriedEvent, SagaResolvedEvent, SagaCancelledEvent {

    private static final long serialVersionUID = 1L;

    private final String sagaId;
    private final String sagaName;
    private final SagaStatus status;
    private final String note;

    /**
     * @param source the {@link SagaOperations} that ran the operation
     * @param sagaId the saga's id
     * @param sagaName its name
     * @param status its status after the operation
     * @param note the operator's note, or null
     */
    protected SagaOperatorEvent(Object source, String sagaId, String sagaName, SagaStatus status, String note) {
        super(source);
        this.sagaId = sagaId;
        this.sagaName = sagaName;
        this.status = status;
        this.note = note;
    }

    /** @return the operation: {@code retry}, {@code resolve} or {@code cancel} */
    public abstract String operation();

    /** @return the saga's id */
    public String sagaId() {
        return sagaId;
    }

    /** @return the saga's name */
    public String sagaName() {
        return sagaName;
    }

    /** @return the saga's status after the operation */
    public SagaStatus status() {
        return status;
    }

    /** @return the operator's note, or null */
    public String note() {
        return note;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + sagaName + " (" + sagaId + ") → " + status + (note == null ? "" : ", note: " + note) + "]";
    }
}
