package dev.reversible.core.engine;

import dev.reversible.core.AsyncCompositeAction;
import dev.reversible.core.AsyncSagaBody;
import dev.reversible.core.CompensationFailedException;
import dev.reversible.core.CompositeAction;
import dev.reversible.core.SagaBody;

/**
 * What the engine reads and changes in the API's objects beyond their public methods: a composite's body and
 * options, and the bookkeeping of a {@link CompensationFailedException} as it travels up through nested
 * composites. Implemented once, in {@code dev.reversible.core}, and handed to {@link Engine}'s constructor, so that
 * none of it has to be public API. Not API: it may change in any release.
 */
public interface CoreAccess {

    /**
     * @param composite a synchronous composite
     * @param <T> its result type
     * @return its body
     */
    <T> SagaBody<? extends T> body(CompositeAction<T> composite);

    /**
     * @param composite a synchronous composite
     * @return its rollback rule, deadline and compensation mode
     */
    SagaOptions options(CompositeAction<?> composite);

    /**
     * @param composite an asynchronous composite
     * @param <T> its result type
     * @return its body
     */
    <T> AsyncSagaBody<? extends T> body(AsyncCompositeAction<T> composite);

    /**
     * @param composite an asynchronous composite
     * @return its rollback rule, deadline and compensation mode
     */
    SagaOptions options(AsyncCompositeAction<?> composite);

    /**
     * Marks {@code failure} as thrown by the saga run {@code saga}, so that an enclosing saga of another run treats it
     * as an ordinary failure.
     * @param failure a new exception
     * @param saga the run that throws it
     * @return {@code failure}
     */
    CompensationFailedException from(CompensationFailedException failure, Object saga);

    /**
     * @param failure an exception
     * @param saga a saga run
     * @return whether {@code failure} was marked as thrown by {@code saga}
     */
    boolean isFrom(CompensationFailedException failure, Object saga);

    /**
     * Adds a compensation's failure, to {@link CompensationFailedException#failures()} and to the suppressed ones.
     * @param failure the exception collecting
     * @param compensationFailure what the compensation threw
     */
    void addFailure(CompensationFailedException failure, Throwable compensationFailure);

    /**
     * Adds a step left un-compensated, to {@link CompensationFailedException#pending()}.
     * @param failure the exception collecting
     * @param stepName the step's name
     */
    void addPending(CompensationFailedException failure, String stepName);
}
