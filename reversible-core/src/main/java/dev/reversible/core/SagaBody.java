package dev.reversible.core;

/**
 * The body of a {@link Reversible#gen(SagaBody) gen} composite: runs steps through the scope and
 * returns the composite's result.
 *
 * <pre>{@code
 * SagaBody<Integer> body = saga -> saga.run(a) + saga.run(b);
 * }</pre>
 *
 * @param <T> the composite's result type
 */
@FunctionalInterface
public interface SagaBody<T> {

    /**
     * @param saga runs the steps
     * @return the composite's result
     * @throws Exception any failure; it rolls back every completed step
     */
    T run(SagaScope saga) throws Exception;
}
