package dev.reversible.spring.observation;

import io.micrometer.common.KeyValues;
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
    /** The saga's high-cardinality key values: the same for every step of one saga, so made once per saga. */
    private KeyValues sagaKeyValues;

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

    /**
     * @return the high-cardinality key values naming the saga, {@code saga.id} and {@code saga}: made once and
     *     kept (Micrometer asks a convention for them when the observation starts and again when it stops)
     */
    public KeyValues getSagaKeyValues() {
        KeyValues keys = sagaKeyValues;
        if (keys == null) {
            keys = KeyValues.of(ReversibleKeyNames.SAGA_ID, sagaId, ReversibleKeyNames.SAGA, sagaName);
            sagaKeyValues = keys;
        }
        return keys;
    }

    /**
     * Shares the saga's key values, made by its first step's context, with a later step's: one saga, one set.
     * @param keys the key values of this context's saga
     */
    void shareSagaKeyValues(KeyValues keys) {
        this.sagaKeyValues = keys;
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
