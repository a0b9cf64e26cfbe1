package dev.reversible.core.engine;

import dev.reversible.core.CompensationFailedException;

import java.util.function.Predicate;

/** Applies a composite's user-supplied rollback rule to a failure, so that the rule itself can never lose a rollback. */
final class RollbackRules {

    private RollbackRules() {
    }

    /**
     * @return whether {@code failure} rolls back the completed steps. The rule sees the original failure
     *     (the cause of a {@link CompensationFailedException}). A rule that throws counts as "roll back":
     *     undoing is the safe side, and its exception is attached to the failure rather than lost.
     */
    static boolean test(Predicate<? super Throwable> rule, Throwable failure) {
        Throwable original = failure instanceof CompensationFailedException c && c.getCause() != null ? c.getCause() : failure;
        try {
            return rule.test(original);
        } catch (Throwable ruleFailure) {
            original.addSuppressed(ruleFailure);
            return true;
        }
    }
}
