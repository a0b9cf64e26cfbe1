package dev.reversible.spring.jdbc;

import java.util.Objects;

import dev.reversible.jdbc.StoredSaga;

/**
 * What an operator's {@link SagaOperations#retry retry}, {@link SagaOperations#resolve resolve} or
 * {@link SagaOperations#cancel cancel} came to.
 *
 * <pre>{@code
 * SagaOperationResult result = sagaOperations.resolve(id, "refunded by hand, ticket 4711");
 * switch (result.outcome()) {
 *     case DONE -> show(result.saga());                                    // RESOLVED
 *     case CONFLICT -> warn("already " + result.saga().status());         // another operator was first
 *     case NOT_FOUND -> warn("no saga " + id);
 * }
 * }</pre>
 *
 * @param outcome whether the operation ran
 * @param saga {@link Outcome#DONE}: the saga after the operation; {@link Outcome#CONFLICT}: the saga as it stands
 *     (not {@code STUCK} — for a cancel, not {@code RUNNING}); {@link Outcome#NOT_FOUND}: null
 */
public record SagaOperationResult(Outcome outcome, StoredSaga saga) {

    /** Checks that a saga comes with every outcome but {@link Outcome#NOT_FOUND}. */
    public SagaOperationResult {
        Objects.requireNonNull(outcome, "outcome");
        if ((saga == null) != (outcome == Outcome.NOT_FOUND)) {
            throw new IllegalArgumentException(outcome + " with saga " + saga);
        }
    }

    /** Whether an operation ran. */
    public enum Outcome {
        /** It ran: the saga was {@code STUCK} (a cancel: {@code RUNNING}), and this operator won it. */
        DONE,
        /** Nothing ran: the saga is not {@code STUCK} (a cancel: not {@code RUNNING}) — another operator acted first, or it never was. */
        CONFLICT,
        /** Nothing ran: no saga has that id (never journaled, or purged). */
        NOT_FOUND
    }

    static SagaOperationResult done(StoredSaga saga) {
        return new SagaOperationResult(Outcome.DONE, saga);
    }

    static SagaOperationResult conflict(StoredSaga saga) {
        return new SagaOperationResult(Outcome.CONFLICT, saga);
    }

    static SagaOperationResult notFound() {
        return new SagaOperationResult(Outcome.NOT_FOUND, null);
    }
}
