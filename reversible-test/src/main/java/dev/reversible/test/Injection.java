package dev.reversible.test;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One failure set up on a {@link FailureInjector}: how often it fired, and a way to take it back before
 * the end of the test.
 *
 * <pre>{@code
 * Injection declined = injector.failActionOnCall("chargeAccount", 2, new PaymentDeclinedException());
 * ...
 * assertThat(declined.timesFired()).isEqualTo(1);
 * declined.remove();
 * }</pre>
 */
public final class Injection {

    /** What the failure replaces. */
    enum Target {
        /** An action's {@code forwards}. */
        ACTION,
        /** An action's {@code @Compensate} handler. */
        COMPENSATION,
        /** A saga's return: its body runs to its end, then fails. */
        SAGA_RETURN
    }

    private final FailureInjector injector;
    private final Target target;
    private final String name;
    private final Throwable failure;
    /** For actions: the one call that fails (1 for the first), or 0 for every call. For compensations: the last attempt that fails. */
    private final int count;
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger fired = new AtomicInteger();

    Injection(FailureInjector injector, Target target, String name, Throwable failure, int count) {
        this.injector = injector;
        this.target = target;
        this.name = name;
        this.failure = failure;
        this.count = count;
    }

    /** @return how many times the failure was thrown instead of the call */
    public int timesFired() {
        return fired.get();
    }

    /** Takes the failure back: later calls proceed. */
    public void remove() {
        injector.remove(this);
    }

    Target target() {
        return target;
    }

    String name() {
        return name;
    }

    /** Counts a call of an action or a saga. @return whether this call is the one (or one of those) to fail */
    boolean dueOnCall() {
        int call = calls.incrementAndGet();
        return count == 0 || call == count;
    }

    /** @return whether this attempt of a compensation is one to fail */
    boolean dueOnAttempt(int attempt) {
        return attempt <= count;
    }

    /** @return the failure, counted as thrown */
    Throwable fire() {
        fired.incrementAndGet();
        return failure;
    }

    @Override
    public String toString() {
        String what = switch (target) {
            case ACTION -> "action '" + name + "' fails" + (count == 0 ? " on every call" : " on call " + count);
            case COMPENSATION -> "compensation of '" + name + "' fails" + (count == Integer.MAX_VALUE ? " on every attempt" : " on attempts 1.." + count);
            case SAGA_RETURN -> "saga '" + name + "' fails after its body";
        };
        return what + " with " + failure.getClass().getName();
    }
}
