package dev.reversible.spring.jdbc;

import java.util.List;

import dev.reversible.jdbc.JdbcJournal;
import dev.reversible.spring.jdbc.JournalTestApp.Orders;
import dev.reversible.spring.jdbc.JournalTestApp.Shipping;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * {@code reversible.jdbc.table-prefix=orders_saga_} with the schema initialized at start-up: the initializer
 * creates the prefixed tables, the start-up check passes, and sagas are journaled into them — on H2 here, on
 * PostgreSQL in {@link PostgresPrefixedSchemaTests}.
 */
class PrefixedSchemaTests {

    @BeforeEach
    void reset() {
        JournalTestApp.reset();
    }

    /** @return the properties of a fresh database for one test */
    String[] database() {
        return new String[] { "spring.datasource.url=" + JournalTestApp.newDatabaseUrl() };
    }

    @Test
    void initializerCreatesThePrefixedTablesAndSagasAreJournaledIntoThem() {
        JournalTestApp.runnerWith(database()).withUserConfiguration(JournalTestApp.Shop.class)
                .withPropertyValues("reversible.jdbc.table-prefix=orders_saga_", "reversible.jdbc.initialize-schema=always")
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(JdbcJournal.class);
                    Shipping.failure = new IllegalStateException("no courier");

                    catchThrowable(() -> context.getBean(Orders.class).place("sku-1"));

                    JdbcClient jdbc = JournalTestApp.jdbc(context);
                    assertThat(jdbc.sql("SELECT name || ':' || status FROM orders_saga_sagas").query(String.class).list())
                            .containsExactly("Orders.place:COMPENSATED");
                    assertThat(jdbc.sql("SELECT action_name FROM orders_saga_steps ORDER BY step_index").query(String.class).list())
                            .containsExactly("reserve", "charge", "ship");
                    assertThat(jdbc.sql("SELECT COUNT(*) FROM orders_saga_instances").query(Integer.class).single()).isEqualTo(1);
                    assertThat(tablesNamedReversible(jdbc)).isEmpty();
                });
    }

    private static List<String> tablesNamedReversible(JdbcClient jdbc) {
        return jdbc.sql("SELECT table_name FROM information_schema.tables WHERE table_schema = CURRENT_SCHEMA AND LOWER(table_name) LIKE 'reversible%'")
                .query(String.class).list();
    }
}
