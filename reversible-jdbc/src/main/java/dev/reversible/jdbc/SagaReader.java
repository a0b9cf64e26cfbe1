package dev.reversible.jdbc;

import java.util.ArrayList;
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

    /** Runs a saga query, then reads all their steps in one more query. */
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
                    steps.computeIfAbsent(rs.getString("saga_id"), id -> new ArrayList<>()).add(Rows.step(rs));
                });
        return sagas.stream().map(saga -> saga.withSteps(steps.getOrDefault(saga.id(), List.of()))).toList();
    }
}
