package dev.reversible.core;

/**
 * The common type of the failures the engine itself raises to stop a saga at a step boundary — its deadline
 * passed ({@link SagaTimeoutException}) or an operator cancelled it ({@link SagaCancelledException}). Such a
 * failure always rolls the saga back: a composite's rollback rule is not asked about it.
 */
public abstract class SagaStoppedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String sagaId;
    private final String sagaName;

    SagaStoppedException(String message, SagaInfo saga) {
        super(message);
        this.sagaId = saga.id();
        this.sagaName = saga.name();
    }

    /** @return the id of the saga that was stopped */
    public String sagaId() {
        return sagaId;
    }

    /** @return the name of the saga that was stopped */
    public String sagaName() {
        return sagaName;
    }
}
