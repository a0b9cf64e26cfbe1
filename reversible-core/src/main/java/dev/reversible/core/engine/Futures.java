package dev.reversible.core.engine;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/** Small adapters between user-supplied stages and the engine's own futures. */
final class Futures {

    @FunctionalInterface
    interface StageSupplier<T> {
        CompletionStage<? extends T> get() throws Exception;
    }

    private Futures() {
    }

    /**
     * Calls a user method that returns a stage; a throw, or a {@code null} stage, becomes a failed stage
     * so that every failure takes the same path.
     */
    @SuppressWarnings("unchecked")
    static <T> CompletionStage<T> start(StageSupplier<T> supplier) {
        try {
            CompletionStage<? extends T> stage = supplier.get();
            return stage == null ? CompletableFuture.completedFuture(null) : (CompletionStage<T>) stage;
        } catch (Throwable failure) {
            return CompletableFuture.failedFuture(failure);
        }
    }

    /** A {@link CompletableFuture} view of any stage, without relying on {@code toCompletableFuture()} being supported. */
    static <T> CompletableFuture<T> of(CompletionStage<T> stage) {
        if (stage instanceof CompletableFuture<T> future) {
            return future;
        }
        CompletableFuture<T> future = new CompletableFuture<>();
        stage.whenComplete((value, failure) -> {
            if (failure == null) {
                future.complete(value);
            } else {
                future.completeExceptionally(failure);
            }
        });
        return future;
    }

    /**
     * @param done a completed future
     * @return its failure as {@code handle} would pass it (possibly wrapped: see {@link #unwrap}), or {@code null}
     *     when it completed normally
     */
    static Throwable failureNow(CompletableFuture<?> done) {
        if (!done.isCompletedExceptionally()) {
            return null;
        }
        try {
            done.join();
            throw new IllegalStateException("completed exceptionally, yet joined: " + done);
        } catch (CompletionException | CancellationException failure) {
            return failure;
        }
    }

    /** Strips the wrappers {@link CompletableFuture} adds, to get back the original failure. */
    static Throwable unwrap(Throwable failure) {
        Throwable current = failure;
        while (current instanceof CompletionException && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }
}
