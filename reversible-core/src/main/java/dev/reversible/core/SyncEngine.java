package dev.reversible.core;

import java.util.List;
import java.util.Objects;

/**
 * The synchronous engine: runs sagas, steps and composites on the calling thread (rules 1–11, 13, 14)
 * and rolls them back through {@link Rollback} and {@link Compensator}. Every scope it opens is bound to
 * the thread while its body or step runs, so that a step started there — by the body, or by a step's
 * own {@code forwards} — takes its place in it.
 */
final class SyncEngine {

    private final Settings settings;
    private final Compensator compensator;

    SyncEngine(Settings settings, Compensator compensator) {
        this.settings = settings;
        this.compensator = compensator;
    }

    Settings settings() {
        return settings;
    }

    /**
     * Executes an action as an outermost saga.
     * @param kept when not {@code null}, receives what a successful run leaves to undo (a composite's
     *     direct {@code backwards()})
     */
    <T> T execute(Action<T> action, Journal kept) throws Exception {
        Objects.requireNonNull(action, "action must not be null");
        SagaRun run = new SagaRun(action.name(), this);
        run.sagaStarted();
        long start = run.now();
        Journal journal = kept != null ? kept : new Journal();
        try {
            T result = runStep(run, SyncScope.body(run, -1, journal), action);
            run.sagaCompleted(start);
            return result;
        } catch (Throwable failure) {
            run.sagaEnded(start, failure);
            throw Sneaky.<Exception>rethrow(failure);
        }
    }

    /** Undoes a journal outside any running saga (a composite's direct {@code backwards()}). */
    void rollbackDirect(String name, Journal journal) {
        Throwable outcome = rollBack(new SagaRun(name, this), journal, null);
        if (outcome != null) {
            throw (CompensationFailedException) outcome;
        }
    }

    /**
     * Runs one step in {@code scope} (rules 1, 2, 6, 14): it takes its slot and index when it starts; while
     * its {@code forwards} runs, steps started on this thread are its children; when it fails, its
     * completed children and then the step itself are undone before its exception leaves here.
     */
    <T> T runStep(SagaRun run, SyncScope scope, Action<T> step) throws Exception {
        if (step instanceof CompositeAction<T> composite) {
            return runComposite(run, scope, composite);
        }
        Journal journal = scope.journal();
        int slot = journal.reserve();
        int index = run.nextStepIndex();
        if (Compensator.LeafKind.of(step).step) {
            ((SagaStep) step).started(run, index, scope.parentIndex);
        }
        SyncScope own = SyncScope.step(run, index);
        run.stepStarted(step);
        SyncScope outer = ThreadScope.enter(own);
        long start = run.now();
        T result;
        try {
            result = step.forwards();
        } catch (Throwable failure) {
            ThreadScope.exit(outer);
            throw Sneaky.<Exception>rethrow(failed(run, own, step, start, failure));
        }
        ThreadScope.exit(outer);
        run.stepCompleted(step, start);
        journal.set(slot, own.closeStep(step));
        return result;
    }

    /** Undoes a failed step — its completed children, latest first, then itself — and says what to throw. */
    private Throwable failed(SagaRun run, SyncScope own, Object step, long start, Throwable failure) {
        run.stepFailed(step, start, failure);
        Journal children = own.children(step);
        own.close();
        if (children != null) {
            return rollBack(run, children, failure);
        }
        Throwable compensationFailure = compensator.compensate(run, step);
        if (compensationFailure != null) {
            return new CompensationFailedException(failure, List.of(compensationFailure), List.of(Names.ofStep(step))).from(run);
        }
        return failure;
    }

    /**
     * Runs a composite's body (rules 5, 7, 8) with its own journal, which takes its place in
     * {@code scope} when the composite starts; its completed steps stay there unless rolled back.
     */
    private <T> T runComposite(SagaRun run, SyncScope scope, CompositeAction<T> composite) throws Exception {
        Journal parent = scope.journal();
        int slot = parent.reserve();
        Journal journal = new Journal();
        SyncScope body = SyncScope.body(run, scope.parentIndex, journal);
        SyncScope outer = ThreadScope.enter(body);
        T result;
        try {
            result = composite.body.run(body);
        } catch (Throwable failure) {
            ThreadScope.exit(outer);
            body.close();
            if (run.decide(composite.rollsBackOn(failure), failure)) {
                throw Sneaky.<Exception>rethrow(rollBack(run, journal, failure));
            }
            keep(parent, slot, journal);   // completed steps stand, but an enclosing rollback still undoes them
            throw Sneaky.<Exception>rethrow(failure);
        }
        ThreadScope.exit(outer);
        body.close();
        keep(parent, slot, journal);
        return result;
    }

    private static void keep(Journal parent, int slot, Journal journal) {
        if (!journal.isEmpty()) {
            parent.set(slot, journal);
        }
    }

    /**
     * Compensates every entry of {@code journal} in reverse order under the policy (rule 10).
     * @return what to throw: {@code failure} itself when every compensation succeeded, else a
     *     {@link CompensationFailedException}
     */
    Throwable rollBack(SagaRun run, Journal journal, Throwable failure) {
        Rollback rollback = new Rollback(settings.policy(), run, journal, failure);
        for (Object leaf = rollback.next(); leaf != null; leaf = rollback.next()) {
            rollback.record(leaf, compensator.compensate(run, leaf));
        }
        return rollback.outcome();
    }
}
