package dev.reversible.core;

import java.util.concurrent.CompletableFuture;

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

    @FunctionalInterface
    interface ThrowingCall {
        void run() throws Throwable;
    }
}
