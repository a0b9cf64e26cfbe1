package dev.reversible.jdbc;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A saga as read from the journal.
 *
 * @param id its id
 * @param name its name
 * @param status where it is
 * @param ownerInstance the id of the instance that owns it
 * @param ownerName that instance's display name
 * @param ownerEpoch the current owner epoch
 * @param startedAt when it started (the application's clock)
 * @param updatedAt when it was last written (the application's clock)
 * @param failedStep the action name of the step whose failure started the compensation, or null
 * @param lastError the failure that made it compensate or stick, or null
 * @param recovered whether an instance other than the one that started it took it over
 * @param note an operator's note, or null
 * @param nextAttemptAt when the next persistent compensation retry is due, or null
 * @param attempts persistent compensation retries so far
 * @param steps its steps by index (order of start); see {@link #stepsInRollbackOrder()}
 */
public record StoredSaga(String id, String name, SagaStatus status, String ownerInstance, String ownerName,
        long ownerEpoch, Instant startedAt, Instant updatedAt, String failedStep, ErrorText lastError,
        boolean recovered, String note, Instant nextAttemptAt, int attempts, List<StoredStep> steps) {

    /** Copies the steps. */
    public StoredSaga {
        steps = List.copyOf(steps);
    }

    /** @return the handle that writes to this saga at its current epoch */
    public SagaHandle handle() {
        return new SagaHandle(id, ownerEpoch);
    }

    /** @return its steps latest started first: children before their parent (rule 14), the order they are undone in */
    public List<StoredStep> stepsInRollbackOrder() {
        List<StoredStep> reversed = new ArrayList<>(steps);
        Collections.reverse(reversed);
        return Collections.unmodifiableList(reversed);
    }

    /** @return the same saga with other steps */
    StoredSaga withSteps(List<StoredStep> otherSteps) {
        return new StoredSaga(id, name, status, ownerInstance, ownerName, ownerEpoch, startedAt, updatedAt,
                failedStep, lastError, recovered, note, nextAttemptAt, attempts, otherSteps);
    }
}
