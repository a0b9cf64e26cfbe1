package dev.reversible.jdbc;

/**
 * A write fenced out: the saga's row holds a newer owner epoch than the writer's (another instance claimed
 * it, or an operator resolved it), or the row is gone. Nothing was written. The writer no longer owns the
 * saga and must stop working on it.
 */
public class JournalFencedException extends JournalException {

    private static final long serialVersionUID = 1L;

    private final transient SagaHandle handle;

    /**
     * @param handle the writer's handle
     * @param operation what it tried to write
     */
    public JournalFencedException(SagaHandle handle, String operation) {
        super("Saga " + handle.sagaId() + " is no longer owned at epoch " + handle.epoch()
                + " (claimed by another instance, resolved, or deleted): " + operation + " was not written");
        this.handle = handle;
    }

    /** @return the writer's handle, with its stale epoch */
    public SagaHandle handle() {
        return handle;
    }
}
