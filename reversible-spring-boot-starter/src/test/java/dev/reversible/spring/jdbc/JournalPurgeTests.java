package dev.reversible.spring.jdbc;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.reversible.core.CompensationFailedException;
import dev.reversible.jdbc.StoredSagas;
import dev.reversible.spring.jdbc.JournalTestApp.Orders;
import dev.reversible.spring.jdbc.JournalTestApp.Shipping;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The retention purge: only finished sagas ({@code COMPENSATED}, {@code RESOLVED}, kept {@code COMPLETED})
 * older than the retention on the application's clock go, with their steps, batch by batch; a {@code STUCK}
 * saga stays however old. Two instances purging at once take disjoint batches ({@code FOR UPDATE SKIP
 * LOCKED}) and together delete each saga exactly once.
 */
class JournalPurgeTests {

    private static final Duration RETENTION = Duration.ofDays(7);

    private final String url = JournalTestApp.newDatabaseUrl();
    private final MutableClock clock = new MutableClock();

    @BeforeEach
    void reset() {
        JournalTestApp.reset();
    }

    private ApplicationContextRunner runner() {
        return JournalTestApp.runner(url).withUserConfiguration(JournalTestApp.Shop.class).withBean(Clock.class, () -> clock)
                .withPropertyValues("reversible.jdbc.retry.max-attempts=0", "reversible.jdbc.completed=keep");
    }

    @Test
    void purgeRemovesOnlyFinishedSagasOlderThanTheRetentionInBatchesAndNeverAStuckOne() {
        runner().run(context -> {
            List<String> old = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                old.add(compensatedOrder(context));
            }
            old.add(completedOrder(context));
            String resolved = StuckSagaApps.stuckOrder(context);
            context.getBean(SagaOperations.class).resolve(resolved, "refunded by hand");
            old.add(resolved);
            String stuck = StuckSagaApps.stuckOrder(context);
            clock.advance(RETENTION.plusHours(1));
            String recent = compensatedOrder(context);
            StoredSagas storedSagas = context.getBean(StoredSagas.class);

            assertThat(storedSagas.purgeBatch(RETENTION, 2)).as("one batch").isEqualTo(2);
            assertThat(StuckSagaApps.ids(context)).hasSize(5);
            assertThat(storedSagas.purge(RETENTION, 2)).as("the rest, batch after batch").isEqualTo(3);

            assertThat(StuckSagaApps.ids(context)).containsExactlyInAnyOrder(stuck, recent);
            JdbcClient jdbc = JournalTestApp.jdbc(context);
            assertThat(jdbc.sql("SELECT DISTINCT saga_id FROM reversible_steps").query(String.class).list())
                    .as("the purged sagas' steps went with them").containsExactlyInAnyOrder(stuck, recent);
            assertThat(storedSagas.purge(RETENTION, 2)).isZero();

            clock.advance(Duration.ofDays(365));
            assertThat(storedSagas.purge(RETENTION, 100)).isEqualTo(1);
            assertThat(StuckSagaApps.ids(context)).containsExactly(stuck);
        });
    }

    @Test
    void twoInstancesPurgingAtOnceDeleteEachSagaExactlyOnce() throws Exception {
        runner().run(context -> {
            for (int i = 0; i < 12; i++) {
                compensatedOrder(context);
            }
            clock.advance(RETENTION.plusHours(1));
            StoredSagas storedSagas = context.getBean(StoredSagas.class);
            CyclicBarrier barrier = new CyclicBarrier(2);
            ExecutorService instances = Executors.newFixedThreadPool(2);
            try {
                List<Future<Integer>> purged = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    purged.add(instances.submit(() -> {
                        barrier.await(10, TimeUnit.SECONDS);
                        return storedSagas.purge(RETENTION, 1);
                    }));
                }
                int total = purged.get(0).get(30, TimeUnit.SECONDS) + purged.get(1).get(30, TimeUnit.SECONDS);

                assertThat(total).isEqualTo(12);
                assertThat(StuckSagaApps.ids(context)).isEmpty();
            } finally {
                instances.shutdownNow();
            }
        });
    }

    /** Ship fails, every compensation succeeds: COMPENSATED. */
    private static String compensatedOrder(ApplicationContext context) {
        List<String> before = StuckSagaApps.ids(context);
        Shipping.failure = new IllegalStateException("no courier");
        try {
            assertThat(catchThrowable(() -> context.getBean(Orders.class).place("sku-p"))).isSameAs(Shipping.failure)
                    .isNotInstanceOf(CompensationFailedException.class);
        } finally {
            Shipping.failure = null;
        }
        return newId(context, before);
    }

    /** Kept as COMPLETED ({@code reversible.jdbc.completed=keep}). */
    private static String completedOrder(ApplicationContext context) throws InterruptedException {
        List<String> before = StuckSagaApps.ids(context);
        context.getBean(Orders.class).place("sku-c");
        return newId(context, before);
    }

    private static String newId(ApplicationContext context, List<String> before) {
        List<String> created = StuckSagaApps.ids(context).stream().filter(id -> !before.contains(id)).toList();
        assertThat(created).hasSize(1);
        return created.get(0);
    }
}
