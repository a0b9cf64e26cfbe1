package dev.reversible.test;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.reversible.core.SagaInfo;
import dev.reversible.core.SagaListener;

/**
 * Makes a chosen action or compensation fail, by name, without touching the application's code: the
 * kit's advisor, inside the saga aspect, throws the given failure instead of calling the method. Every
 * injection is taken back before the next test.
 *
 * <pre>{@code
 * injector.failAction("bookShipment", new ShipmentRefusedException("AQ"));          // every call
 * injector.failActionOnCall("chargeAccount", 2, new InsufficientFundsException(...)); // the second call only
 * injector.failCompensation("chargeAccount", new RefundFailedException("down"), 2);  // attempts 1 and 2 of each refund
 * injector.failSagaOnReturn("placeOrder", new IllegalStateException("late"));       // after its last step
 * }</pre>
 *
 * <p>An action's failure replaces its {@code forwards}: the saga sees the step fail (rule 6), and the
 * step's own handler runs, with a {@code null} result. An action or handler returning a
 * {@code CompletionStage} gets a failed future instead of an exception, as a real one would. A checked
 * exception must be one the method declares, as it would have to be in the application's code (Spring
 * wraps any other in an {@code UndeclaredThrowableException}). A handler that is private or final is
 * called on the bean itself, past every advice, and cannot be made to fail.
 *
 * <p>Attempts of a compensation are counted from its first: the handler's {@code CompensationContext}
 * says which attempt it is when the handler takes one; otherwise attempts are counted per action name
 * since the executor last reported that compensation started (this needs the injector among the
 * executor's listeners, as the auto-configuration makes it).
 */
public final class FailureInjector implements SagaListener {

    private final List<Injection> injections = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();

    /**
     * Makes every call of an action fail.
     * @param action the action's name (its {@code @ReversibleAction} value, or its method's name)
     * @param failure what each call throws instead of running
     * @return the injection
     */
    public Injection failAction(String action, Throwable failure) {
        return add(Injection.Target.ACTION, action, failure, 0);
    }

    /**
     * Makes one call of an action fail, counted from now.
     * @param action the action's name
     * @param call which call fails: 1 for the next one
     * @param failure what that call throws instead of running
     * @return the injection
     */
    public Injection failActionOnCall(String action, int call, Throwable failure) {
        if (call < 1) {
            throw new IllegalArgumentException("call must be at least 1, was " + call);
        }
        return add(Injection.Target.ACTION, action, failure, call);
    }

    /**
     * Makes every attempt of each compensation of an action fail.
     * @param action the name of the action whose {@code @Compensate} handler fails
     * @param failure what each attempt throws instead of running
     * @return the injection
     */
    public Injection failCompensation(String action, Throwable failure) {
        return failCompensation(action, failure, Integer.MAX_VALUE);
    }

    /**
     * Makes the first attempts of each compensation of an action fail; later attempts run the handler.
     * @param action the name of the action whose {@code @Compensate} handler fails
     * @param failure what each failing attempt throws instead of running
     * @param attempts how many attempts fail: attempts 1 to {@code attempts}
     * @return the injection
     */
    public Injection failCompensation(String action, Throwable failure, int attempts) {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1, was " + attempts);
        }
        return add(Injection.Target.COMPENSATION, action, failure, attempts);
    }

    /**
     * Makes a {@code @ReversibleSaga} method fail after its body ran to its end: every step completed, then
     * the saga throws {@code failure} instead of returning, and rolls every step back.
     * @param saga the saga's name (its {@code @ReversibleSaga} name, or {@code SimpleClassName.methodName})
     * @param failure what the saga throws
     * @return the injection
     */
    public Injection failSagaOnReturn(String saga, Throwable failure) {
        return add(Injection.Target.SAGA_RETURN, saga, failure, 0);
    }

    /** Takes back every injection. */
    public void reset() {
        injections.clear();
        attempts.clear();
    }

    /** @return the injections in effect, in the order they were made */
    public List<Injection> injections() {
        return List.copyOf(injections);
    }

    void remove(Injection injection) {
        injections.remove(injection);
    }

    /** @return what this call of an action throws, or {@code null} to run it */
    Throwable onAction(String action) {
        return onCall(Injection.Target.ACTION, action);
    }

    /** @return what this saga throws after its body returned, or {@code null} to return */
    Throwable onSagaReturn(String saga) {
        return onCall(Injection.Target.SAGA_RETURN, saga);
    }

    /**
     * @param attempt the attempt, from the handler's {@code CompensationContext}, or 0 when it takes none
     * @return what this attempt of a compensation throws, or {@code null} to run the handler
     */
    Throwable onCompensation(String action, int attempt) {
        int counted = attempt > 0 ? attempt : attempts.computeIfAbsent(action, a -> new AtomicInteger()).incrementAndGet();
        for (Injection injection : injections) {
            if (injection.target() == Injection.Target.COMPENSATION && injection.name().equals(action) && injection.dueOnAttempt(counted)) {
                return injection.fire();
            }
        }
        return null;
    }

    private Throwable onCall(Injection.Target target, String name) {
        Throwable failure = null;
        // Every matching injection counts the call, so that each one's "n-th call" is its own; the first due one fires.
        for (Injection injection : injections) {
            if (injection.target() == target && injection.name().equals(name) && injection.dueOnCall() && failure == null) {
                failure = injection.fire();
            }
        }
        return failure;
    }

    private Injection add(Injection.Target target, String name, Throwable failure, int count) {
        Objects.requireNonNull(name, "name must not be null");
        Objects.requireNonNull(failure, "failure must not be null");
        Injection injection = new Injection(this, target, name, failure, count);
        injections.add(injection);
        return injection;
    }

    /** Counts attempts afresh for each compensation. It changes no outcome: it only counts. */
    @Override
    public void compensationStarted(SagaInfo saga, String step) {
        attempts.remove(step);
    }

    /** It hears no step's end. */
    @Override
    public boolean ignoresStepDurations() {
        return true;
    }
}
