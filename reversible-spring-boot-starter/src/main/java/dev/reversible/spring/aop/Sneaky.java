package dev.reversible.spring.aop;

/** Lets a checked exception from the intercepted method pass through core's {@code throws Exception} bodies unchanged. */
final class Sneaky {

    private Sneaky() {
    }

    @SuppressWarnings("unchecked")
    static <E extends Throwable> E rethrow(Throwable failure) throws E {
        throw (E) failure;
    }
}
