package dev.reversible.core;

import java.time.Duration;

/**
 * Raised where a step of a saga would start after the saga's deadline ({@link CompositeAction#timeout(Duration)}):
 * the step never starts and the saga rolls back like for any failure, whatever its rollback rule says.
 *
 * <pre>{@code
 * Reversible.gen(saga -> { ... }).named("checkout").timeout(Duration.ofSeconds(30));
 * }</pre>
 */
public class SagaTimeoutException extends SagaStoppedException {

    private static final long serialVersionUID = 1L;

    private final transient Duration timeout;

    /**
     * @param saga the saga whose deadline passed
     * @param timeout its timeout
     */
    public SagaTimeoutException(SagaInfo saga, Duration timeout) {
        super("Saga " + saga.name() + " (" + saga.id() + ") passed its deadline (timeout " + timeout + "): no further step may start",
                saga);
        this.timeout = timeout;
    }

    /** @return the saga's timeout, from its start to its deadline */
    public Duration timeout() {
        return timeout;
    }
}
