package dev.reversible.core;

/**
 * Where an executor records its sagas, so that they survive the JVM: the engine opens one {@link SagaRecord}
 * when an outermost saga starts and calls that record, with the same {@link StepInfo} objects, at every step's
 * start and end, every compensation attempt and the saga's end. Every step reaches it — annotated or
 * programmatic — through this one channel; an integration that can find a step again after a restart (a
 * bean's method and its arguments) recognises it by {@link StepInfo#action()}, and records any other as one
 * that cannot be compensated after a crash.
 *
 * <p>A saga rolled back from its record ({@link SagaExecutor#rollBack(RecordedSaga)}) is not recorded again:
 * whoever recovered it writes its outcome.
 *
 * <pre>{@code
 * SagaExecutor executor = Reversible.executor().journal(saga -> new DatabaseRecord(dataSource, saga)).build();
 * }</pre>
 */
@FunctionalInterface
public interface SagaJournal {

    /**
     * An outermost saga starts. Called on the thread that starts it, before its first step; nothing need be
     * written yet (a saga may run no step at all).
     * @param saga the saga
     * @return its record, called for everything the saga does from now on
     */
    SagaRecord open(SagaInfo saga);
}
