package dev.reversible.spring.metadata;

import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/**
 * Which failures roll back a saga's completed steps, from {@code rollbackFor} and {@code noRollbackFor}:
 * the listed class closest to the thrown exception in its class hierarchy wins; no match rolls back.
 *
 * <pre>{@code
 * RollbackRule rule = RollbackRule.of(List.of(CardDeclinedException.class), List.of(PaymentException.class));
 * rule.test(new CardDeclinedException());   // true: closer than PaymentException
 * rule.test(new PaymentPendingException()); // false: a PaymentException
 * }</pre>
 */
public final class RollbackRule implements Predicate<Throwable> {

    /** Every failure rolls back: the default. */
    public static final RollbackRule ALWAYS = new RollbackRule(List.of(), List.of());

    private final List<Class<? extends Throwable>> rollbackFor;
    private final List<Class<? extends Throwable>> noRollbackFor;

    private RollbackRule(List<Class<? extends Throwable>> rollbackFor, List<Class<? extends Throwable>> noRollbackFor) {
        this.rollbackFor = List.copyOf(rollbackFor);
        this.noRollbackFor = List.copyOf(noRollbackFor);
    }

    /**
     * @param rollbackFor classes that roll back
     * @param noRollbackFor classes that keep the completed steps
     * @return the rule; {@link #ALWAYS} when {@code noRollbackFor} is empty
     * @throws IllegalArgumentException when a class is in both lists
     */
    public static RollbackRule of(List<Class<? extends Throwable>> rollbackFor, List<Class<? extends Throwable>> noRollbackFor) {
        for (Class<? extends Throwable> type : rollbackFor) {
            if (noRollbackFor.contains(type)) {
                throw new IllegalArgumentException(type.getName() + " is in both rollbackFor and noRollbackFor");
            }
        }
        return noRollbackFor.isEmpty() ? ALWAYS : new RollbackRule(rollbackFor, noRollbackFor);
    }

    /** @return whether {@code failure} rolls back the completed steps */
    @Override
    public boolean test(Throwable failure) {
        if (noRollbackFor.isEmpty()) {
            return true;
        }
        for (Class<?> type = failure.getClass(); type != null && type != Object.class; type = type.getSuperclass()) {
            if (noRollbackFor.contains(type)) {
                return false;
            }
            if (rollbackFor.contains(type)) {
                return true;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "RollbackRule[rollbackFor=" + Arrays.toString(rollbackFor.toArray()) + ", noRollbackFor="
                + Arrays.toString(noRollbackFor.toArray()) + "]";
    }
}
