package dev.reversible.demo.compensation;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

import dev.reversible.spring.CompensationContext;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code order_compensations} table: each compensation handler writes one row per order and step, in
 * the same transaction as its reversal. The row is the handler's idempotency record — a retried attempt
 * whose predecessor committed finds it and does nothing — and the error response's account of which
 * steps were really undone.
 *
 * <pre>{@code
 * @Compensate("reserveStock")
 * @Transactional
 * public void releaseStock(long orderId, String sku, int quantity, CompensationContext context) {
 *     if (log.isRecorded(orderId, context)) return;
 *     ...
 *     log.record(orderId, context, CompensationOutcome.UNDONE);
 * }
 * }</pre>
 */
@Repository
public class CompensationLog {

    private final JdbcClient jdbc;

    CompensationLog(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * @param orderId the order whose step is being compensated
     * @param context the compensation's context (its step index is the idempotency key within the order)
     * @return whether this step of this order was already compensated
     */
    public boolean isRecorded(long orderId, CompensationContext context) {
        return jdbc.sql("SELECT COUNT(*) FROM order_compensations WHERE order_id = :orderId AND step_index = :stepIndex")
                .param("orderId", orderId)
                .param("stepIndex", context.stepIndex())
                .query(Long.class)
                .single() > 0;
    }

    /**
     * Records what a compensation handler did; call it inside the handler's transaction.
     * @param orderId the order whose step was compensated
     * @param context the compensation's context
     * @param outcome what the handler did
     */
    public void record(long orderId, CompensationContext context, CompensationOutcome outcome) {
        jdbc.sql("INSERT INTO order_compensations (order_id, saga_id, step_index, step, outcome) "
                        + "VALUES (:orderId, :sagaId, :stepIndex, :step, :outcome)")
                .param("orderId", orderId)
                .param("sagaId", context.sagaId())
                .param("stepIndex", context.stepIndex())
                .param("step", context.stepName())
                .param("outcome", outcome.name())
                .update();
    }

    /**
     * @param orderId an order
     * @return its compensation records, in the order the compensations ran
     */
    public List<CompensationEntry> forOrder(long orderId) {
        return jdbc.sql("SELECT saga_id, step_index, step, outcome FROM order_compensations WHERE order_id = :orderId ORDER BY id")
                .param("orderId", orderId)
                .query(CompensationLog::entry)
                .list();
    }

    /**
     * Reads a row by its column names. Not {@code query(CompensationEntry.class)}: Spring's property mapper looks each
     * component up by its own name first ({@code sagaId}) and by the column's ({@code saga_id}) only when that fails,
     * and H2 writes every failed lookup, with its stack trace, to the database's trace file — twice a row, on every read.
     */
    private static CompensationEntry entry(ResultSet row, int rowNumber) throws SQLException {
        return new CompensationEntry(row.getString("saga_id"), row.getInt("step_index"), row.getString("step"),
                CompensationOutcome.valueOf(row.getString("outcome")));
    }
}
