package dev.reversible.spring.observation;

import io.micrometer.observation.Observation;

/**
 * What the observation of one action's work carries — a step's {@code forwards} or its compensation: the
 * action's name, its saga and, once it ended, its outcome. The step and compensation contexts add what is
 * their own.
 */
public abstract class ActionObservationContext extends Observation.Context {

    private final String sagaName;
    private final String sagaId;
    private final String action;
    private volatile String outcome;

    /**
     * @param sagaName the name of the outermost saga the step belongs to
     * @param sagaId that saga's id
     * @param action the step's action name
     */
    protected ActionObservationContext(String sagaName, String sagaId, String action) {
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

    /** @return the step's action name */
    public String getAction() {
        return action;
    }

    /** @return how the work ended, or {@code null} while it runs */
    public String getOutcome() {
        return outcome;
    }

    /** @param outcome how the work ended */
    public void setOutcome(String outcome) {
        this.outcome = outcome;
    }
}
