package dev.reversible.spring.aop;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import dev.reversible.core.AsyncAction;
import dev.reversible.core.StepTimeoutException;

import org.aopalliance.intercept.MethodInvocation;

/**
 * An asynchronous {@link dev.reversible.spring.annotation.ReversibleAction} call — a method returning a
 * {@link CompletionStage} — as a core step: it takes its place when called, and completes when its future
 * does. Its handler receives the future's value as the result (null when it failed) and may itself return
 * a {@code CompletionStage}: the compensation is finished when that stage is.
 *
 * <pre>{@code
 * CompletionStage<Object> reserved = scope.runAsync(new AsyncStepAction(operation, invocation));
 * }</pre>
 */
public final class AsyncStepAction extends StepCall implements AsyncAction<Object> {

    AsyncStepAction(StepOperation operation, MethodInvocation invocation) {
        super(operation, invocation, false);
    }

    @Override
    public CompletionStage<Object> forwards() {
        Object returned;
        try {
            returned = proceed();
        } catch (Throwable e) {
            failed(e);
            return CompletableFuture.failedFuture(e);
        }
        if (returned == null) {
            succeeded(null);
            return CompletableFuture.completedFuture(null);
        }
        @SuppressWarnings("unchecked")
        CompletionStage<Object> stage = (CompletionStage<Object>) returned;
        if (stage instanceof CompletableFuture<Object> future && future.isDone() && !future.isCompletedExceptionally()) {
            // Succeeded already (the method did its work before it returned): whenComplete would take note here and
            // now, through one more stage; take note without it, and give the engine the method's own future. No lock:
            // a timeout is armed on the stage this returns, so none can fire before forwards has returned.
            succeeded(future.getNow(null));
            return future;
        }
        return stage.whenComplete(this::settled);
    }

    private void settled(Object value, Throwable thrown) {
        synchronized (this) {   // against timedOut on the engine's thread: a late value never replaces the timeout
            if (thrown == null) {
                succeeded(value);
            } else {
                failed(thrown instanceof CompletionException && thrown.getCause() != null ? thrown.getCause() : thrown);
            }
        }
    }

    @Override
    public synchronized void timedOut(StepTimeoutException timeout) {
        super.timedOut(timeout);
    }

    /** @return the action's {@code timeout}, or {@code null} for none */
    @Override
    public Duration timeout() {
        return spec().timeout();
    }

    @Override
    public CompletionStage<?> backwards() {
        return backwards(1);
    }

    @Override
    public CompletionStage<?> backwards(int attempt) {
        try {
            return compensate(attempt) instanceof CompletionStage<?> stage ? stage : CompletableFuture.completedFuture(null);
        } catch (Throwable e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
