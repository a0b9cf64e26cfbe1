package dev.reversible.test;

/**
 * The failure the {@link SagaVerifier} injects, recognisable in logs and in a caller's exception chain.
 * Tests may inject it too, when the failure's type does not matter.
 *
 * <pre>{@code
 * injector.failAction("chargeAccount", new InjectedFailureException("charge refused by the test"));
 * }</pre>
 */
public class InjectedFailureException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message what was made to fail */
    public InjectedFailureException(String message) {
        super(message);
    }
}
