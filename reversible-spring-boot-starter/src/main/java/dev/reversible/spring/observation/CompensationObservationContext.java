package dev.reversible.spring.observation;

/**
 * What the {@code reversible.compensation} observation of one compensation carries: its action's name, its
 * saga and, once it ended, its outcome ({@code compensated | failed | undone_by_transaction}) and how many
 * attempts it took (0 when a transaction's rollback undid the step and no handler ran).
 */
public class CompensationObservationContext extends ActionObservationContext {

    private volatile int attempts;

    /**
     * @param sagaName the name of the outermost saga the compensated step belongs to
     * @param sagaId that saga's id
     * @param action the compensated step's action name
     */
    public CompensationObservationContext(String sagaName, String sagaId, String action) {
        super(sagaName, sagaId, action);
    }

    /** @return the attempts made, once it ended */
    public int getAttempts() {
        return attempts;
    }

    /** @param attempts the attempts made */
    public void setAttempts(int attempts) {
        this.attempts = attempts;
    }
}
