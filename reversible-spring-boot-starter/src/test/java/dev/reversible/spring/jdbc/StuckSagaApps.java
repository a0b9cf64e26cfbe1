package dev.reversible.spring.jdbc;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.reversible.core.CompensationFailedException;
import dev.reversible.spring.jdbc.JournalTestApp.Orders;
import dev.reversible.spring.jdbc.JournalTestApp.Payments;
import dev.reversible.spring.jdbc.JournalTestApp.Shipping;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** A web application with the journal and JournalTestApp's order saga, and a way to leave a saga STUCK. */
final class StuckSagaApps {

    /** An argument of every order: it must never appear in the endpoint's output. */
    static final String SECRET_SKU = "sku-SECRET-4711";

    private StuckSagaApps() {
    }

    /** The whole application: every auto-configuration but JPA's. */
    @SpringBootConfiguration
    @EnableAutoConfiguration(excludeName = { "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
            "org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration" })
    @Import(JournalTestApp.Shop.class)
    static class App {

        @Bean
        OperatorEvents operatorEvents() {
            return new OperatorEvents();
        }
    }

    /** Every operator event, in order. */
    static final class OperatorEvents implements ApplicationListener<SagaOperatorEvent> {

        final List<SagaOperatorEvent> events = new CopyOnWriteArrayList<>();

        @Override
        public void onApplicationEvent(SagaOperatorEvent event) {
            events.add(event);
        }
    }

    /**
     * Places an order whose shipment fails and whose refund fails too: with {@code reversible.jdbc.retry.max-attempts=0}
     * the saga is STUCK at once, shipment cancelled, charge not refunded, reservation pending.
     * @return the new saga's id
     */
    static String stuckOrder(ApplicationContext context) {
        Set<String> before = new HashSet<>(ids(context));
        Shipping.failure = new IllegalStateException("no courier for Alice at 12 Secret Street");
        Payments.failingRefunds.set(1);
        try {
            Throwable thrown = catchThrowable(() -> context.getBean(Orders.class).place(SECRET_SKU));
            assertThat(thrown).isInstanceOf(CompensationFailedException.class);
        } finally {
            Shipping.failure = null;
        }
        List<String> created = ids(context).stream().filter(id -> !before.contains(id)).toList();
        assertThat(created).hasSize(1);
        return created.get(0);
    }

    static List<String> ids(ApplicationContext context) {
        return JournalTestApp.jdbc(context).sql("SELECT id FROM reversible_sagas").query(String.class).list();
    }

    static String status(ApplicationContext context, String id) {
        return JournalTestApp.jdbc(context).sql("SELECT status FROM reversible_sagas WHERE id = :id").param("id", id)
                .query(String.class).single();
    }
}
