package dev.reversible.spring.jdbc;

import dev.reversible.jdbc.SagaStatus;
import dev.reversible.jdbc.StoredSaga;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The operator API: a saga left {@code STUCK} by one life of the application is retried by the next one
 * (a new instance on the same database), from where it stopped, through the same handlers; the guards
 * answer {@code NOT_FOUND} and {@code CONFLICT} without running anything.
 */
class SagaOperationsTests {

    private final String url = JournalTestApp.newDatabaseUrl();

    @BeforeEach
    void reset() {
        JournalTestApp.reset();
    }

    private ApplicationContextRunner life(String name) {
        return JournalTestApp.runner(url).withUserConfiguration(JournalTestApp.Shop.class)
                .withPropertyValues("reversible.jdbc.retry.max-attempts=0", "reversible.jdbc.instance-name=" + name);
    }

    @Test
    void sagaStuckInOneLifeIsRetriedByTheNextFromWhereItStopped() {
        String[] id = new String[1];
        life("first-life").run(first -> id[0] = StuckSagaApps.stuckOrder(first));
        JournalTestApp.CALLS.clear();

        life("second-life").withPropertyValues("reversible.compensation.retry.max-attempts=2").run(second -> {
            SagaOperations operations = second.getBean(SagaOperations.class);
            StoredSaga before = operations.find(id[0]).orElseThrow();
            assertThat(before.status()).as("a stuck saga is never claimed by recovery").isEqualTo(SagaStatus.STUCK);
            assertThat(before.ownerName()).isEqualTo("first-life");
            JournalTestApp.Payments.failingRefunds.set(1);

            SagaOperationResult result = operations.retry(id[0]);

            assertThat(result.outcome()).isEqualTo(SagaOperationResult.Outcome.DONE);
            assertThat(result.saga().status()).isEqualTo(SagaStatus.COMPENSATED);
            assertThat(result.saga().ownerName()).isEqualTo("second-life");
            assertThat(JournalTestApp.CALLS).containsExactly("refund attempt 2 failed",
                    "undo charge #1 result=C-alice failure=null attempt=3",
                    "undo reserve #0 result=R-" + StuckSagaApps.SECRET_SKU + "-2 failure=null");
            assertThat(result.saga().steps()).extracting(step -> step.status().name())
                    .containsExactly("COMPENSATED", "COMPENSATED", "COMPENSATED");
        });
    }

    @Test
    void guardsAnswerWithoutRunningAnything() {
        life("only").run(context -> {
            SagaOperations operations = context.getBean(SagaOperations.class);
            String id = StuckSagaApps.stuckOrder(context);
            JournalTestApp.CALLS.clear();

            assertThat(operations.retry("unknown").outcome()).isEqualTo(SagaOperationResult.Outcome.NOT_FOUND);
            assertThat(operations.resolve("unknown", "why").outcome()).isEqualTo(SagaOperationResult.Outcome.NOT_FOUND);
            assertThatIllegalArgumentException().isThrownBy(() -> operations.resolve(id, " "));
            assertThatIllegalArgumentException().isThrownBy(() -> operations.list(null, 0));
            assertThatIllegalArgumentException().isThrownBy(() -> operations.list(null, 1001));
            assertThat(operations.resolve(id, "refunded by hand").outcome()).isEqualTo(SagaOperationResult.Outcome.DONE);

            SagaOperationResult late = operations.retry(id);

            assertThat(late.outcome()).isEqualTo(SagaOperationResult.Outcome.CONFLICT);
            assertThat(late.saga().status()).isEqualTo(SagaStatus.RESOLVED);
            assertThat(late.saga().note()).isEqualTo("refunded by hand");
            assertThat(operations.list(SagaStatus.RESOLVED, 10)).extracting(StoredSaga::id).containsExactly(id);
            assertThat(JournalTestApp.CALLS).isEmpty();
        });
    }
}
