package dev.reversible.test;

/**
 * A compensation of a recorded saga, with every attempt it took.
 *
 * <pre>{@code
 * RecordedCompensation refund = recorder.lastSaga().compensations().get(0);   // chargeAccount, SUCCEEDED, 2 attempts
 * }</pre>
 *
 * @param step the name of the step it undid
 * @param outcome how it ended, as far as it has
 * @param attempts how many attempts it took (0 while its first attempt runs)
 * @param failure the last attempt's exception when it failed, else {@code null}
 */
public record RecordedCompensation(String step, Outcome outcome, int attempts, Throwable failure) {

    /** How a compensation ended. */
    public enum Outcome {
        /** Its first attempt has started, its last has not ended. */
        RUNNING,
        /** An attempt succeeded. */
        SUCCEEDED,
        /** Every attempt failed. */
        FAILED
    }
}
