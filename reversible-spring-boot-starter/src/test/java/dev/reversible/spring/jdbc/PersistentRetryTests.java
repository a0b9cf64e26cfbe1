package dev.reversible.spring.jdbc;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import dev.reversible.core.CompensationFailedException;
import dev.reversible.spring.jdbc.JournalTestApp.Orders;
import dev.reversible.spring.jdbc.JournalTestApp.Payments;
import dev.reversible.spring.jdbc.JournalTestApp.Shipping;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * The journal's persistent retry of a compensation that failed its in-memory attempts: due on the
 * application's clock after an exponential backoff (driven here by hand, no sleeping), {@code STUCK} when
 * exhausted — and at once, in the live rollback and in recovery alike, for a non-retryable exception type.
 */
class PersistentRetryTests {

    private final String url = JournalTestApp.newDatabaseUrl();

    @BeforeEach
    void reset() {
        JournalTestApp.reset();
    }

    @Test
    void compensationIsRetriedOnlyWhenItsExponentialBackoffHasPassedThenTheSagaIsStuck() {
        MutableClock clock = new MutableClock();
        JournalTestApp.runner(url).withUserConfiguration(JournalTestApp.Shop.class).withBean(Clock.class, () -> clock)
                .withPropertyValues("reversible.jdbc.heartbeat-interval=1h", "reversible.jdbc.instance-timeout=2h",
                        "reversible.jdbc.retry.max-attempts=2", "reversible.jdbc.retry.initial=1m", "reversible.jdbc.retry.multiplier=2")
                .run(context -> {
                    awaitSchedulerIdle();
                    SagaRecovery recovery = context.getBean(SagaRecovery.class);
                    placeFailingOrder(context, 3);
                    assertThat(saga(context)).containsEntry("STATUS", "COMPENSATING").containsEntry("ATTEMPTS", 1);

                    clock.advance(Duration.ofSeconds(59));
                    assertThat(recovery.retryDueCompensations()).as("1m backoff not over").isZero();
                    clock.advance(Duration.ofSeconds(2));
                    assertThat(recovery.retryDueCompensations()).isEqualTo(1);
                    assertThat(saga(context)).containsEntry("STATUS", "COMPENSATING").containsEntry("ATTEMPTS", 2);

                    clock.advance(Duration.ofSeconds(119));
                    assertThat(recovery.retryDueCompensations()).as("2m backoff not over").isZero();
                    clock.advance(Duration.ofSeconds(2));
                    assertThat(recovery.retryDueCompensations()).isEqualTo(1);

                    assertThat(saga(context)).containsEntry("STATUS", "STUCK");
                    clock.advance(Duration.ofDays(1));
                    assertThat(recovery.retryDueCompensations()).as("a stuck saga waits for an operator").isZero();
                    assertThat(JournalTestApp.CALLS).containsExactly("reserve", "charge", "ship",
                            "undo ship #2 result=null failure=IllegalStateException",
                            "refund attempt 1 failed", "refund attempt 2 failed", "refund attempt 3 failed");
                });
    }

    @Test
    void nonRetryableFailureOfALiveRollbackLeavesTheSagaStuckAtOnce() {
        JournalTestApp.runner(url).withUserConfiguration(JournalTestApp.Shop.class)
                .withPropertyValues("reversible.jdbc.retry.non-retryable=java.lang.UnsupportedOperationException,java.lang.RuntimeException")
                .run(context -> {
                    placeFailingOrder(context, 1);

                    assertThat(saga(context)).containsEntry("STATUS", "STUCK").containsEntry("NEXT_ATTEMPT_AT", null)
                            .containsEntry("ERROR_CLASS", IllegalStateException.class.getName());
                });
    }

    @Test
    void nonRetryableFailureInRecoveryLeavesTheSagaStuckAtOnce() {
        JournalTestApp.runner(url).withUserConfiguration(JournalTestApp.Shop.class).run(first -> {
            placeFailingOrder(first, 2);
            assertThat(saga(first)).containsEntry("STATUS", "COMPENSATING");
        });

        JournalTestApp.runner(url).withUserConfiguration(JournalTestApp.Shop.class)
                .withPropertyValues("reversible.jdbc.heartbeat-interval=50ms", "reversible.jdbc.retry.non-retryable=java.lang.IllegalStateException")
                .run(second -> {
                    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(saga(second)).containsEntry("STATUS", "STUCK"));

                    assertThat(saga(second)).containsEntry("RECOVERED", true).containsEntry("NEXT_ATTEMPT_AT", null);
                    assertThat(JournalTestApp.CALLS).containsExactly("reserve", "charge", "ship",
                            "undo ship #2 result=null failure=IllegalStateException", "refund attempt 1 failed", "refund attempt 2 failed");
                });
    }

    /** Ship fails, and the next {@code failingRefunds} refunds fail too. */
    private static void placeFailingOrder(ApplicationContext context, int failingRefunds) {
        Shipping.failure = new IllegalStateException("no courier");
        Payments.failingRefunds.set(failingRefunds);
        Throwable thrown = catchThrowable(() -> context.getBean(Orders.class).place("sku-9"));
        Shipping.failure = null;
        assertThat(thrown).isInstanceOf(CompensationFailedException.class);
    }

    private static Map<String, Object> saga(ApplicationContext context) {
        JdbcClient jdbc = JournalTestApp.jdbc(context);
        return jdbc.sql("SELECT status, attempts, next_attempt_at, error_class, recovered FROM reversible_sagas").query().singleRow();
    }

    /**
     * The journal's scheduler runs a recovery round as it starts; with a 1h interval the next is far away. Waits
     * until that first round is over, so that the test's own rounds are the only ones.
     */
    private static void awaitSchedulerIdle() {
        await().atMost(Duration.ofSeconds(10)).until(() -> Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().equals("reversible-journal") && thread.isAlive())
                .allMatch(thread -> thread.getState() == Thread.State.TIMED_WAITING || thread.getState() == Thread.State.WAITING));
    }
}
