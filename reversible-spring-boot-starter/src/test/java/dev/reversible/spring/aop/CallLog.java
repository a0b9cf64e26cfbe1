package dev.reversible.spring.aop;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.reversible.spring.CompensationContext;

/**
 * What the test beans did, in order: {@code "a"} for a forwards call of action {@code a}, {@code "undo a"} for
 * its compensation, with every compensation's context kept. It also scripts failures: which forwards throw,
 * and which compensations throw (for how many attempts).
 */
final class CallLog {

    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final List<Compensation> compensations = new CopyOnWriteArrayList<>();
    private final Map<String, Throwable> forwardsFailures = new ConcurrentHashMap<>();
    private final Map<String, Throwable> compensationFailures = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> compensationFailuresLeft = new ConcurrentHashMap<>();

    /** One compensation call: the action, the input it was called with, and what the handler received. */
    record Compensation(String action, String input, Object result, CompensationContext context) {
    }

    /** Makes every forwards call of {@code action} throw {@code failure}. */
    CallLog failForwards(String action, Throwable failure) {
        forwardsFailures.put(action, failure);
        return this;
    }

    /** Makes every compensation of {@code action} throw {@code failure}. */
    CallLog failCompensation(String action, Throwable failure) {
        return failCompensation(action, failure, Integer.MAX_VALUE);
    }

    /** Makes the first {@code times} compensation attempts of {@code action} throw {@code failure}. */
    CallLog failCompensation(String action, Throwable failure, int times) {
        compensationFailures.put(action, failure);
        compensationFailuresLeft.put(action, new AtomicInteger(times));
        return this;
    }

    /** Records a forwards call; throws when scripted to, else returns {@code "A(input)"} for action {@code a}. */
    String forwards(String action, String input) throws Exception {
        calls.add(action);
        Throwable failure = forwardsFailures.get(action);
        if (failure != null) {
            throw rethrow(failure);
        }
        return action.toUpperCase() + "(" + input + ")";
    }

    /** Records a compensation call; throws when scripted to. */
    void compensate(String action, String input, Object result, CompensationContext context) throws Exception {
        calls.add("undo " + action);
        compensations.add(new Compensation(action, input, result, context));
        AtomicInteger left = compensationFailuresLeft.get(action);
        if (left != null && left.getAndDecrement() > 0) {
            throw rethrow(compensationFailures.get(action));
        }
    }

    /** Records any other event. */
    void add(String call) {
        calls.add(call);
    }

    List<String> calls() {
        return List.copyOf(calls);
    }

    List<Compensation> compensations() {
        return List.copyOf(compensations);
    }

    /** @return the one compensation of {@code action} */
    Compensation compensationOf(String action) {
        List<Compensation> found = compensations.stream().filter(c -> c.action().equals(action)).toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one compensation of " + action + ", found " + found);
        }
        return found.get(0);
    }

    private static Exception rethrow(Throwable failure) {
        if (failure instanceof Error error) {
            throw error;
        }
        return (Exception) failure;
    }
}
