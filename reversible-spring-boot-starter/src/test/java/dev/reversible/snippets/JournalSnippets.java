package dev.reversible.snippets;

import dev.reversible.jdbc.SagaStatus;
import dev.reversible.jdbc.StoredSaga;
import dev.reversible.spring.CompensationContext;
import dev.reversible.spring.annotation.Compensate;
import dev.reversible.spring.jdbc.SagaOperationResult;
import dev.reversible.spring.jdbc.SagaOperations;
import dev.reversible.spring.jdbc.SagaOperatorEvent;

import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Transactional;

/** The Java of {@code docs/durable-journal.md}, compiled (see {@code SnippetsTests}). */
class JournalSnippets {

    class Refunds {
        private JdbcClient jdbc;

        // tag::exactlyOnceRefund[]
        @Compensate("charge")
        @Transactional   // on the journal's DataSource: the refund row and the step's mark commit together
        public void refund(String account, long cents, CompensationContext context) {
            jdbc.sql("INSERT INTO refunds (saga_id, step_index, account, cents) VALUES (?, ?, ?, ?)")
                    .params(context.sagaId(), context.stepIndex(), account, cents).update();
        }
        // end::exactlyOnceRefund[]
    }

    interface AuditLog {
        void write(String operation, String sagaId, String sagaName, SagaStatus status, String note);
    }

    class Operator {
        private SagaOperations sagaOperations;
        private AuditLog auditLog;

        // tag::operatorApi[]
        void retryStuckSagas(String id) {
            for (StoredSaga saga : sagaOperations.list(SagaStatus.STUCK, 100)) {
                SagaOperationResult result = sagaOperations.retry(saga.id());   // DONE (COMPENSATED or STUCK again), CONFLICT, NOT_FOUND
            }
            sagaOperations.resolve(id, "refunded by hand, ticket 4711");
        }

        @EventListener
        void audit(SagaOperatorEvent event) {     // SagaRetriedEvent or SagaResolvedEvent
            auditLog.write(event.operation(), event.sagaId(), event.sagaName(), event.status(), event.note());
        }
        // end::operatorApi[]
    }
}
