package dev.reversible.spring.jdbc;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.reversible.spring.jdbc.JournalTestApp.Orders;
import dev.reversible.spring.jdbc.JournalTestApp.Shipping;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * Graceful shutdown: closing the context refuses new sagas, waits for the running one to finish (its rows
 * deleted as usual), and only then marks the instance gone.
 */
class JournalLifecycleTests {

    private final String url = JournalTestApp.newDatabaseUrl();

    @BeforeEach
    void reset() {
        JournalTestApp.reset();
    }

    @Test
    void closeRefusesNewSagasWaitsForTheRunningOneThenMarksTheInstanceGone() {
        JournalTestApp.runner(url).withUserConfiguration(JournalTestApp.Shop.class).run(context -> {
            Orders orders = context.getBean(Orders.class);
            JdbcStepJournal steps = context.getBean(JdbcStepJournal.class);
            JdbcClient jdbc = JdbcClient.create(new DriverManagerDataSource(url, "sa", ""));
            CountDownLatch release = new CountDownLatch(1);
            Shipping.hold = release;
            Thread running = new Thread(() -> {
                try {
                    orders.place("sku-5");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            running.start();
            assertThat(Shipping.holding.await(10, TimeUnit.SECONDS)).isTrue();

            Thread closing = new Thread(context::close);
            closing.start();
            await().until(() -> !steps.admitting());

            Shipping.hold = null;
            assertThat(catchThrowable(() -> orders.place("sku-6"))).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("shutting down");
            assertThat(closing.isAlive()).isTrue();
            assertThat(jdbc.sql("SELECT COUNT(*) FROM reversible_instances").query(Integer.class).single()).isEqualTo(1);

            release.countDown();
            running.join();
            closing.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(closing.isAlive()).isFalse();
            assertThat(jdbc.sql("SELECT COUNT(*) FROM reversible_instances").query(Integer.class).single()).isZero();
            assertThat(jdbc.sql("SELECT COUNT(*) FROM reversible_sagas").query(Integer.class).single()).isZero();
        });
    }
}
