package dev.reversible.spring.jdbc;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.reversible.core.SagaCancelledException;
import dev.reversible.jdbc.SagaStatus;
import dev.reversible.jdbc.StoredSaga;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cancellation across instances: an operator on one instance cancels a saga that another one runs. The request is
 * recorded on the saga's row; the owner applies it at its next heartbeat — here called by the test, so that the
 * order of events is the test's, not a timer's — and the saga fails at its next step boundary and is compensated,
 * every step once.
 */
class CrossInstanceCancellationTests {

    private String[] database;

    @BeforeEach
    void setUp() {
        JournalTestApp.reset();
        database = database();
    }

    /** @return the {@code spring.datasource.*} properties of a fresh database */
    String[] database() {
        return new String[] { "spring.datasource.url=" + JournalTestApp.newDatabaseUrl() };
    }

    /** An instance whose own heartbeats never come during the test (1h): the test beats for it. */
    private ApplicationContextRunner instance(String name) {
        return JournalTestApp.runnerWith(database).withUserConfiguration(JournalTestApp.Shop.class)
                .withPropertyValues("reversible.jdbc.instance-name=" + name, "reversible.jdbc.heartbeat-interval=1h", "reversible.jdbc.instance-timeout=2h");
    }

    @Test
    void aSagaCancelledThroughAnotherInstanceStopsAtItsNextStepBoundaryOnItsOwnerAndIsCompensatedOnce() {
        JournalTestApp.Shipping.hold = new CountDownLatch(1);
        instance("owner").run(owner -> instance("operator").run(operator -> {
            JournalTestApp.Orders orders = owner.getBean(JournalTestApp.Orders.class);
            CompletableFuture<Throwable> placed = CompletableFuture.supplyAsync(() -> {
                try {
                    orders.place("BOOK-9");
                    return null;
                } catch (Throwable failure) {
                    return failure;
                }
            });
            assertThat(JournalTestApp.Shipping.holding.await(10, TimeUnit.SECONDS)).isTrue();
            SagaOperations operations = operator.getBean(SagaOperations.class);
            StoredSaga running = operations.list(SagaStatus.RUNNING, 10).get(0);
            assertThat(running.ownerName()).isEqualTo("owner");

            SagaOperationResult cancelled = operations.cancel(running.id());

            assertThat(cancelled.outcome()).isEqualTo(SagaOperationResult.Outcome.DONE);
            assertThat(cancelled.saga().status()).isEqualTo(SagaStatus.RUNNING);
            assertThat(operator.getBean(SagaCancellation.class).applyRequests()).as("the operator does not run it").isZero();
            owner.getBean(JournalLifecycle.class).heartbeat();   // the owner's next heartbeat applies the request
            JournalTestApp.Shipping.hold.countDown();

            assertThat(placed.get(10, TimeUnit.SECONDS)).isInstanceOf(SagaCancelledException.class);
            assertThat(JournalTestApp.CALLS).containsExactly("reserve", "charge", "ship", "undo ship #2 result=S-BOOK-9 failure=null",
                    "undo charge #1 result=C-alice failure=null attempt=1", "undo reserve #0 result=R-BOOK-9-2 failure=null");
            assertThat(operations.find(running.id()).orElseThrow().status()).isEqualTo(SagaStatus.COMPENSATED);
            assertThat(operations.cancel(running.id()).outcome()).isEqualTo(SagaOperationResult.Outcome.CONFLICT);
        }));
    }
}
