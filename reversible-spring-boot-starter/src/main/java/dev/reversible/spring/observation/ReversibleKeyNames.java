package dev.reversible.spring.observation;

/**
 * The keys of the reversible observations, in one place: the default conventions, the meters' tags and the
 * Grafana dashboard all use these.
 */
public final class ReversibleKeyNames {

    /** The outermost saga's name: low-cardinality on {@code reversible.saga}, high on steps and compensations. */
    public static final String SAGA = "saga";
    /** The step's action name. */
    public static final String ACTION = "action";
    /** How the saga, step or compensation ended. */
    public static final String OUTCOME = "outcome";
    /** The saga's id (high-cardinality: a span attribute, never a meter tag). */
    public static final String SAGA_ID = "saga.id";
    /** How many attempts a compensation took. */
    public static final String ATTEMPTS = "compensation.attempts";

    private ReversibleKeyNames() {
    }
}
