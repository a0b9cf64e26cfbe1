package dev.reversible.core;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Helpers to read how a saga ended. */
final class Failures {

    private Failures() {
    }

    /** Runs {@code call} and returns what it threw, unwrapped; fails the test when it returned. */
    static Throwable thrownBy(ThrowingCall call) {
        try {
            call.run();
        } catch (Throwable thrown) {
            return thrown;
        }
        throw new AssertionError("expected an exception, the call returned normally");
    }

    /** The exception a completed future failed with, as {@code handle} hands it over (unwrapped). */
    static Throwable failureOf(CompletableFuture<?> future) {
        if (!future.isDone()) {
            throw new AssertionError("the future is not complete");
        }
        return future.handle((value, failure) -> {
            if (failure == null) {
                throw new AssertionError("expected the future to fail, it completed with " + value);
            }
            return failure;
        }).join();
    }

    /** Strips the {@link CompletionException}s a {@link CompletableFuture} wraps around a failure. */
    static Throwable unwrap(Throwable failure) {
        Throwable current = failure;
        while (current instanceof CompletionException && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    /** Throws {@code failure} as it is, checked ones too: {@code throw Failures.rethrow(e)}. */
    @SuppressWarnings("unchecked")
    static <E extends Throwable> E rethrow(Throwable failure) throws E {
        throw (E) failure;
    }

    @FunctionalInterface
    interface ThrowingCall {
        void run() throws Throwable;
    }
}
