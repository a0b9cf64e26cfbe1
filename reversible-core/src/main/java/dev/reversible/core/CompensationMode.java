package dev.reversible.core;

/**
 * How a saga's compensations are ordered when it rolls back.
 *
 * <pre>{@code
 * CompositeAction<Void> booking = Reversible.<Void>gen(saga -> { ... })
 *     .compensation(CompensationMode.PARALLEL);
 * }</pre>
 */
public enum CompensationMode {

    /** One compensation after another, in exact reverse order of the steps' start (rules 7 and 12). The default. */
    SEQUENTIAL,

    /**
     * Happens-before order (rule 15): a step's compensation starts once the compensations of every step that
     * started after it <em>ended</em> are done. Steps whose {@code forwards} overlapped in time — concurrent
     * asynchronous steps — are compensated concurrently; a step and the steps that followed it stay strictly
     * ordered, and a step's children are still undone before it (rule 14). Under {@link RollbackPolicy#ABORT}
     * a failed compensation stops new ones from starting, and the rollback waits for those already running;
     * under {@link RollbackPolicy#CONTINUE} all run. {@link CompensationFailedException#pending()} is in
     * rollback order, as for a sequential rollback.
     */
    PARALLEL
}
