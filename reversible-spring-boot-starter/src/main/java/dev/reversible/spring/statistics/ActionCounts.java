package dev.reversible.spring.statistics;

/**
 * Live counters of one action name: its steps and its compensations, with the compensations' times. Steps are
 * counted only — their times are in the {@code reversible.step} timer — so their outcomes' total time is 0.
 *
 * <pre>{@code
 * long refundsThatFailed = statistics.action("charge").compensationFailed();
 * }</pre>
 */
public final class ActionCounts {

    private final String name;
    private final SagaCounts.Outcome completed = new SagaCounts.Outcome();
    private final SagaCounts.Outcome failed = new SagaCounts.Outcome();
    private final SagaCounts.Outcome compensated = new SagaCounts.Outcome();
    private final SagaCounts.Outcome compensationFailed = new SagaCounts.Outcome();
    private final SagaCounts.Outcome undoneByTransaction = new SagaCounts.Outcome();

    ActionCounts(String name) {
        this.name = name;
    }

    @Override
    public String toString() {
        return "action " + name;
    }

    /** @return the action name */
    public String name() {
        return name;
    }

    /** @return how many steps of this action completed */
    public long completed() {
        return completed.count();
    }

    /** @return how many steps of this action failed */
    public long failed() {
        return failed.count();
    }

    /** @return how many of its compensations succeeded */
    public long compensated() {
        return compensated.count();
    }

    /** @return how many of its compensations failed on every attempt */
    public long compensationFailed() {
        return compensationFailed.count();
    }

    /** @return how many of its steps were not compensated because their transaction's rollback undid them */
    public long undoneByTransaction() {
        return undoneByTransaction.count();
    }

    /** @return the step outcome {@code completed} (counted, not timed) */
    public SagaCounts.Outcome completedOutcome() {
        return completed;
    }

    /** @return the step outcome {@code failed} (counted, not timed) */
    public SagaCounts.Outcome failedOutcome() {
        return failed;
    }

    /** @return the compensation outcome {@code compensated} */
    public SagaCounts.Outcome compensatedOutcome() {
        return compensated;
    }

    /** @return the compensation outcome {@code failed} */
    public SagaCounts.Outcome compensationFailedOutcome() {
        return compensationFailed;
    }

    /** @return the compensation outcome {@code undone_by_transaction} (no time: nothing ran) */
    public SagaCounts.Outcome undoneByTransactionOutcome() {
        return undoneByTransaction;
    }
}
