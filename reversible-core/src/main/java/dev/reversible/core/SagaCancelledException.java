package dev.reversible.core;

/**
 * Raised at the next step boundary of a saga that was cancelled ({@link SagaExecutor#cancel(String)}): where a
 * step would start, where a step has just ended, or where the saga would complete. The saga then rolls back like
 * for any failure — its completed steps are compensated — whatever its rollback rule says.
 *
 * <pre>{@code
 * executor.cancel(sagaId);   // from another thread: the saga fails with SagaCancelledException at its next boundary
 * }</pre>
 */
public class SagaCancelledException extends SagaStoppedException {

    private static final long serialVersionUID = 1L;

    /** @param saga the cancelled saga */
    public SagaCancelledException(SagaInfo saga) {
        super("Saga " + saga.name() + " (" + saga.id() + ") was cancelled", saga);
    }
}
