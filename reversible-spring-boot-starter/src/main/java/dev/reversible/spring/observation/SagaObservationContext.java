package dev.reversible.spring.observation;

import io.micrometer.observation.Observation;

/**
 * What the {@code reversible.saga} observation of one outermost saga carries: its name, its id and, once it
 * ended, its outcome ({@code completed | compensated | compensation_failed | failed}).
 *
 * <pre>{@code
 * class TenantSagaConvention extends DefaultSagaObservationConvention {
 *     public KeyValues getHighCardinalityKeyValues(SagaObservationContext context) {
 *         return super.getHighCardinalityKeyValues(context).and("tenant", Tenants.current());
 *     }
 * }
 * }</pre>
 */
public class SagaObservationContext extends Observation.Context {

    private final String sagaName;
    private final String sagaId;
    private volatile String outcome;

    /**
     * @param sagaName the saga's name
     * @param sagaId the saga's id, unique to this execution
     */
    public SagaObservationContext(String sagaName, String sagaId) {
        this.sagaName = sagaName;
        this.sagaId = sagaId;
    }

    /** @return the saga's name */
    public String getSagaName() {
        return sagaName;
    }

    /** @return the saga's id */
    public String getSagaId() {
        return sagaId;
    }

    /** @return how the saga ended, or {@code null} while it runs */
    public String getOutcome() {
        return outcome;
    }

    /** @param outcome how the saga ended */
    public void setOutcome(String outcome) {
        this.outcome = outcome;
    }
}
