package dev.reversible.core.engine;

/** Rethrows any throwable unchanged — checked ones too — so that rule 2's "same instance, never wrapped" holds. */
final class Sneaky {

    private Sneaky() {
    }

    /**
     * Throws {@code failure} as it is. Declared to return an exception so callers can write
     * {@code throw Sneaky.rethrow(e)} and keep the compiler's flow analysis.
     */
    @SuppressWarnings("unchecked")
    static <E extends Throwable> E rethrow(Throwable failure) throws E {
        throw (E) failure;
    }
}
