package dev.reversible.benchmarks;

import dev.reversible.core.Action;

/**
 * The step every core benchmark runs: {@code forwards} returns a constant, {@code backwards} counts.
 * The reversible side runs it as an {@link Action}; the hand-written side calls the same two methods,
 * so both sides do the same work and only the bookkeeping around it differs.
 */
public final class CountingStep implements Action<Integer> {

    /** Thrown by a failing step. Allocated once, without a stack trace, so that the rollback benchmarks
     *  measure the engine rather than {@code fillInStackTrace}: both sides throw this same instance. */
    public static final class StepFailure extends Exception {

        private static final long serialVersionUID = 1L;

        StepFailure() {
            super("step failed", null, false, false);
        }
    }

    /** The one failure instance the failing steps throw. */
    public static final StepFailure FAILURE = new StepFailure();

    private final Integer result;
    private final boolean fails;
    private long undone;

    private CountingStep(int result, boolean fails) {
        this.result = result;
        this.fails = fails;
    }

    /** @return a step that returns {@code result} */
    public static CountingStep succeeding(int result) {
        return new CountingStep(result, false);
    }

    /** @return a step that throws {@link #FAILURE} */
    public static CountingStep failing() {
        return new CountingStep(0, true);
    }

    /** @return {@code count} succeeding steps, the last one failing when {@code lastFails} */
    public static CountingStep[] steps(int count, boolean lastFails) {
        CountingStep[] steps = new CountingStep[count];
        for (int i = 0; i < count; i++) {
            steps[i] = lastFails && i == count - 1 ? failing() : succeeding(i & 63);
        }
        return steps;
    }

    @Override
    public Integer forwards() throws StepFailure {
        if (fails) {
            throw FAILURE;
        }
        return result;
    }

    @Override
    public void backwards() {
        undo();
    }

    /** The compensation itself, callable from a plain {@code Runnable}. */
    public void undo() {
        undone++;
    }

    /** @return how many times this step was undone */
    public long undone() {
        return undone;
    }

    @Override
    public String name() {
        return "step";
    }
}
