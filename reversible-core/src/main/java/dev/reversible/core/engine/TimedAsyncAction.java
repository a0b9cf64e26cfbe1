package dev.reversible.core.engine;

import dev.reversible.core.AsyncAction;
import dev.reversible.core.Reversible;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/** An asynchronous step given a timeout by {@link Reversible#withTimeout}: everything else is the wrapped step's. */
final class TimedAsyncAction<T> implements AsyncAction<T> {

    private final AsyncAction<T> step;
    private final Duration timeout;

    TimedAsyncAction(AsyncAction<T> step, Duration timeout) {
        this.step = Objects.requireNonNull(step, "step must not be null");
        this.timeout = timeout;
    }

    @Override
    public CompletionStage<T> forwards() {
        return step.forwards();
    }

    @Override
    public CompletionStage<?> backwards() {
        return step.backwards();
    }

    @Override
    public CompletionStage<?> backwards(int attempt) {
        return step.backwards(attempt);
    }

    @Override
    public Duration timeout() {
        return timeout;
    }

    @Override
    public String name() {
        return step.name();
    }

    @Override
    public String toString() {
        return step + " (timeout " + timeout + ")";
    }
}
