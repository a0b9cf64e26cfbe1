package dev.reversible.demo.order;

import java.util.List;

import dev.reversible.core.RollbackReport;
import dev.reversible.core.SagaInfo;
import dev.reversible.core.SagaListener;
import dev.reversible.spring.jdbc.SagaRecoveredException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Marks an order {@link OrderStatus#CANCELLED} when its saga ends compensated — whoever ran the rollback:
 * the request's own thread, the journal's background retry of a compensation that failed at first, or the
 * recovery of a saga whose instance crashed (these two from the journal: the report's failure is then a
 * {@link SagaRecoveredException}). {@link OrderService} answers the request; this listener makes the order row
 * true afterwards, however long that takes.
 *
 * <p>The listener knows the saga only by its id: the orders it concerns are those whose compensation handlers
 * recorded that id ({@code order_compensations}). Every handler writes one row per step it sees, so a saga
 * that had started a step always finds its order. A saga interrupted before its first step was journaled
 * changed nothing and is not in the journal: its order stays {@link OrderStatus#PENDING}.
 */
@Component
class OrderCancellation implements SagaListener {

    private static final Logger LOG = LoggerFactory.getLogger(OrderCancellation.class);

    private final JdbcClient jdbc;

    OrderCancellation(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void sagaRolledBack(SagaInfo saga, long nanos, RollbackReport report) {
        if (!OrderSaga.NAME.equals(saga.name()) || !report.isComplete()) {
            return;
        }
        List<Long> orderIds = jdbc.sql("SELECT DISTINCT order_id FROM order_compensations WHERE saga_id = :sagaId")
                .param("sagaId", saga.id())
                .query(Long.class)
                .list();
        for (long orderId : orderIds) {
            int changed = jdbc.sql("UPDATE orders SET status = :cancelled, amount = NULL WHERE id = :id AND status <> :cancelled")
                    .param("cancelled", OrderStatus.CANCELLED.name())
                    .param("id", orderId)
                    .update();
            if (changed > 0 && report.failure() instanceof SagaRecoveredException) {
                LOG.info("Order {} cancelled: saga {} ({}) was compensated from the journal", orderId, saga.name(), saga.id());
            }
        }
    }
}
