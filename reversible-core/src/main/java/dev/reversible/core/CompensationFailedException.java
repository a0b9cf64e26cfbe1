package dev.reversible.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Thrown when a saga failed and at least one of its compensations failed too. Nothing is lost:
 * {@link #getCause()} is the original failure, every compensation failure is in {@link #failures()}
 * (and in {@link #getSuppressed()}), and {@link #pending()} names the steps left un-compensated.
 *
 * <pre>{@code
 * try {
 *     Reversible.execute(placeOrder);
 * } catch (CompensationFailedException e) {
 *     alert("order half-undone: " + e.pending() + " because of " + e.getCause());
 * }
 * }</pre>
 */
public class CompensationFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    // Lint 'serial' (JDK 18+) flags the List type; both are always ArrayLists, which serialize.
    @SuppressWarnings("serial")
    private final List<Throwable> failures = new ArrayList<>(2);
    @SuppressWarnings("serial")
    private final List<String> pending = new ArrayList<>(4);
    /** The saga run that threw it, so that an enclosing saga of another run treats it as an ordinary failure. */
    private transient Object origin;

    /**
     * @param original the failure that started the rollback
     * @param failures the compensation failures, in the order they happened
     * @param pending the names of the steps left un-compensated, in rollback order
     */
    // Lint 'this-escape' (JDK 21+): addFailure is package-private; only a subclass in this package could override it, and none does.
    @SuppressWarnings("this-escape")
    public CompensationFailedException(Throwable original, List<? extends Throwable> failures, List<String> pending) {
        super(original);
        failures.forEach(this::addFailure);
        this.pending.addAll(pending);
    }

    CompensationFailedException from(Object run) {
        this.origin = run;
        return this;
    }

    boolean isFrom(Object run) {
        return origin == run;
    }

    // The exception travels up through nested composites, each adding what it left behind.
    void addFailure(Throwable failure) {
        failures.add(failure);
        addSuppressed(failure);
    }

    void addPending(String stepName) {
        pending.add(stepName);
    }

    /** @return every compensation failure, in the order they happened */
    public List<Throwable> failures() {
        return Collections.unmodifiableList(failures);
    }

    /**
     * @return the names of the steps left un-compensated — whose compensation failed or never ran —
     *     in rollback order
     */
    public List<String> pending() {
        return Collections.unmodifiableList(pending);
    }

    @Override
    public String getMessage() {
        Throwable cause = getCause();
        return "Rollback incomplete: " + failures.size() + " compensation(s) failed; steps left un-compensated: " + pending
                + "; original failure: " + (cause == null ? "none" : cause);
    }
}
