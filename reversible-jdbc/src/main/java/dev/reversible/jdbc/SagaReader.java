package dev.reversible.jdbc;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;

/** Reads sagas with their steps: shared by recovery's load and the operator's queries. */
final class SagaReader {

    private SagaReader() {
    }

    static Optional<StoredSaga> find(JdbcJournal journal, String id) {
        List<StoredSaga> found = journal.inOwnTransaction(() -> withSteps(journal, journal.jdbc()
                .sql("SELECT " + Rows.SAGA_COLUMNS + " FROM " + journal.tables().sagas() + " WHERE id = :id")
                .param("id", id)));
        return found.stream().findFirst();
    }

    /** Runs a saga query, then reads all their steps in one more query, and their compensation attempts in another. */
    static List<StoredSaga> withSteps(JdbcJournal journal, JdbcClient.StatementSpec sagaQuery) {
        List<StoredSaga> sagas = sagaQuery.query((rs, row) -> Rows.saga(rs, journal.dialect())).list();
        if (sagas.isEmpty()) {
            return sagas;
        }
        Map<String, List<StoredStep>> steps = new LinkedHashMap<>();
        List<String> ids = sagas.stream().map(StoredSaga::id).toList();
        journal.jdbc().sql("SELECT " + Rows.STEP_COLUMNS + " FROM " + journal.tables().steps()
                + " WHERE saga_id IN (:ids) ORDER BY saga_id, step_index")
                .param("ids", ids)
                .query(rs -> {
                    steps.computeIfAbsent(rs.getString("saga_id"), id -> new ArrayList<>()).add(Rows.step(rs, journal.dialect()));
                });
        Map<String, Map<Integer, List<StoredCompensation>>> attempts = new HashMap<>();
        journal.jdbc().sql("SELECT " + Rows.COMPENSATION_COLUMNS + " FROM " + journal.tables().compensations()
                + " WHERE saga_id IN (:ids) ORDER BY saga_id, step_index, attempt")
                .param("ids", ids)
                .query(rs -> {
                    attempts.computeIfAbsent(rs.getString("saga_id"), id -> new HashMap<>())
                            .computeIfAbsent(rs.getInt("step_index"), index -> new ArrayList<>())
                            .add(Rows.compensation(rs, journal.dialect()));
                });
        return sagas.stream().map(saga -> {
            Map<Integer, List<StoredCompensation>> byStep = attempts.getOrDefault(saga.id(), Map.of());
            List<StoredStep> sagaSteps = steps.getOrDefault(saga.id(), List.of()).stream()
                    .map(step -> byStep.containsKey(step.index()) ? step.withCompensations(byStep.get(step.index())) : step)
                    .toList();
            return saga.withSteps(sagaSteps);
        }).toList();
    }
}
