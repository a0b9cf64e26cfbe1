package dev.reversible.spring.observation;

import io.micrometer.observation.Observation;

/**
 * What the {@code reversible.compensation} observation of one compensation carries: its action's name, its
 * saga and, once it ended, its outcome ({@code compensated | failed | undone_by_transaction}) and how many
 * attempts it took (0 when a transaction's rollback undid the step and no handler ran).
 */
public class CompensationObservationContext extends Observation.Context {

    private final String sagaName;
    private final String sagaId;
    private final String action;
    private volatile String outcome;
    private volatile int attempts;

    /**
     * @param sagaName the name of the outermost saga the compensated step belongs to
     * @param sagaId that saga's id
     * @param action the compensated step's action name
     */
    public CompensationObservationContext(String sagaName, String sagaId, String action) {
        this.sagaName = sagaName;
        this.sagaId = sagaId;
        this.action = action;
    }

    /** @return the name of the outermost saga */
    public String getSagaName() {
        return sagaName;
    }

    /** @return the id of the outermost saga */
    public String getSagaId() {
        return sagaId;
    }

    /** @return the compensated step's action name */
    public String getAction() {
        return action;
    }

    /** @return how the compensation ended, or {@code null} while it runs */
    public String getOutcome() {
        return outcome;
    }

    /** @param outcome how the compensation ended */
    public void setOutcome(String outcome) {
        this.outcome = outcome;
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
