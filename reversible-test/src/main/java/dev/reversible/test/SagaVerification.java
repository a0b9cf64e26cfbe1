package dev.reversible.test;

import java.util.List;
import java.util.stream.Collectors;

/**
 * What {@link SagaVerifier#forEachStep} did: one entry per run of the saga, each passed, failed (with the
 * reason) or skipped (with the reason).
 *
 * <pre>{@code
 * SagaVerification verification = verifier.forEachStep(() -> orders.placeOrder(order), shop::state);
 * verification.runs();   // learning run, failing at step 1 'reserveStock', ..., compensation of 'chargeAccount' failing
 * }</pre>
 *
 * @param saga the verified saga's name
 * @param steps its steps, as the learning run found them
 * @param runs every run, in the order they ran
 */
public record SagaVerification(String saga, List<String> steps, List<Run> runs) {

    /** Copies the lists. */
    public SagaVerification {
        steps = List.copyOf(steps);
        runs = List.copyOf(runs);
    }

    /** @return the runs that found a problem */
    public List<Run> problems() {
        return runs.stream().filter(run -> run.status() == Status.FAILED).toList();
    }

    /** @return every run, one paragraph each */
    public String report() {
        return "Saga " + saga + " with steps " + steps + ":" + System.lineSeparator()
                + runs.stream().map(Run::describe).collect(Collectors.joining(System.lineSeparator()));
    }

    @Override
    public String toString() {
        return report();
    }

    /** How a run ended. */
    public enum Status {
        /** Everything checked held. */
        PASSED,
        /** Something checked did not hold: the detail says what. */
        FAILED,
        /** The run could not check what it was for: the detail says why. */
        SKIPPED
    }

    /**
     * One run of the saga.
     *
     * @param description what was made to fail
     * @param status how it ended
     * @param detail what went wrong or why it was skipped; empty when it passed
     */
    public record Run(String description, Status status, String detail) {

        String describe() {
            String indented = detail.isEmpty() ? "" : System.lineSeparator() + "    " + detail.replace("\n", System.lineSeparator() + "    ");
            return "  " + status + "  " + description + indented;
        }
    }
}
