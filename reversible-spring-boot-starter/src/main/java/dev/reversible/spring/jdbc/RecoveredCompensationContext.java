package dev.reversible.spring.jdbc;

import dev.reversible.spring.CompensationContext;

/** What a handler learns when recovery runs it: the journaled saga's id and name, and the step's place. */
record RecoveredCompensationContext(String sagaId, String sagaName, String stepName, int stepIndex, Object result,
        Throwable failure, int attempt) implements CompensationContext {
}
