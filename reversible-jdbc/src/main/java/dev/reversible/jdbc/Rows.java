package dev.reversible.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/** Reads the journal's rows into records; the column lists are the single place they are named for reading. */
final class Rows {

    static final String SAGA_COLUMNS = "id, name, status, owner_instance, owner_name, owner_epoch, started_at, updated_at,"
            + " failed_step, error_class, error_message, error_stack, recovered, note, next_attempt_at, attempts";

    static final String STEP_COLUMNS = "saga_id, step_index, parent_index, bean_name, action_name, arguments, result,"
            + " status, joined_transaction, attempts, error_class, error_message, error_stack, started_at, ended_at";

    static final String COMPENSATION_COLUMNS = "saga_id, step_index, attempt, started_at, ended_at, outcome, error_class,"
            + " error_message";

    private Rows() {
    }

    static StoredSaga saga(ResultSet rs, Dialect dialect) throws SQLException {
        return new StoredSaga(rs.getString("id"), rs.getString("name"), SagaStatus.valueOf(rs.getString("status")),
                rs.getString("owner_instance"), rs.getString("owner_name"), rs.getLong("owner_epoch"),
                dialect.read(rs, "started_at"), dialect.read(rs, "updated_at"), rs.getString("failed_step"),
                error(rs), rs.getBoolean("recovered"), rs.getString("note"), dialect.read(rs, "next_attempt_at"),
                rs.getInt("attempts"), List.of());
    }

    static StoredStep step(ResultSet rs, Dialect dialect) throws SQLException {
        Number parent = (Number) rs.getObject("parent_index");
        return new StoredStep(rs.getInt("step_index"), parent == null ? null : parent.intValue(), rs.getString("bean_name"),
                rs.getString("action_name"), rs.getString("arguments"), rs.getString("result"),
                StepStatus.valueOf(rs.getString("status")), rs.getBoolean("joined_transaction"), rs.getInt("attempts"),
                error(rs), dialect.read(rs, "started_at"), dialect.read(rs, "ended_at"), List.of());
    }

    static StoredCompensation compensation(ResultSet rs, Dialect dialect) throws SQLException {
        String className = rs.getString("error_class");
        return new StoredCompensation(rs.getInt("attempt"), dialect.read(rs, "started_at"), dialect.read(rs, "ended_at"),
                CompensationOutcome.valueOf(rs.getString("outcome")),
                className == null ? null : new ErrorText(className, rs.getString("error_message"), null));
    }

    private static ErrorText error(ResultSet rs) throws SQLException {
        String className = rs.getString("error_class");
        return className == null ? null
                : new ErrorText(className, rs.getString("error_message"), rs.getString("error_stack"));
    }
}
