package dev.reversible.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A synchronous test step: logs {@code name} when its forwards runs and {@code "undo " + name} when its
 * backwards runs, and can be told to fail either half.
 */
final class Step implements Action<String> {

    private final String name;
    private final Calls calls;
    private Throwable forwardsFailure;
    private final List<Throwable> backwardsFailures = new ArrayList<>();
    private boolean backwardsAlwaysFails;
    private Throwable backwardsFailure;
    final AtomicInteger forwardsCount = new AtomicInteger();
    final AtomicInteger backwardsCount = new AtomicInteger();

    private Step(Calls calls, String name) {
        this.calls = calls;
        this.name = name;
    }

    static Step ok(Calls calls, String name) {
        return new Step(calls, name);
    }

    /** Forwards throws {@code failure} (after logging). */
    Step failing(Throwable failure) {
        this.forwardsFailure = failure;
        return this;
    }

    /** Every backwards throws {@code failure} (after logging). */
    Step compensationFailing(Throwable failure) {
        this.backwardsAlwaysFails = true;
        this.backwardsFailure = failure;
        return this;
    }

    /** The next backwards calls throw these, one each, then backwards succeeds. */
    Step compensationFailingFirst(Throwable... failures) {
        this.backwardsFailures.addAll(List.of(failures));
        return this;
    }

    @Override
    public String forwards() throws Exception {
        forwardsCount.incrementAndGet();
        calls.add(name);
        if (forwardsFailure != null) {
            throw Failures.<Exception>rethrow(forwardsFailure);
        }
        return name;
    }

    @Override
    public void backwards() throws Exception {
        backwardsCount.incrementAndGet();
        calls.add("undo " + name);
        if (backwardsAlwaysFails) {
            throw Failures.<Exception>rethrow(backwardsFailure);
        }
        synchronized (backwardsFailures) {
            if (!backwardsFailures.isEmpty()) {
                throw Failures.<Exception>rethrow(backwardsFailures.remove(0));
            }
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return "Step[" + name + "]";
    }
}
