package dev.reversible.demo;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;

import javax.sql.DataSource;

import dev.reversible.core.SagaInfo;
import dev.reversible.core.SagaListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A database outage, made on demand by a {@code DataSource} that refuses connections while it is "down" (the
 * application's own pool behind it, never a stopped server): requests answer 503 problem+json at once; a saga
 * whose next step cannot be journaled runs no further step; when the database is back the demo serves again
 * by itself, and the journal compensates the saga the outage interrupted in the background.
 */
@Import(DatabaseOutageTests.Outage.class)
@TestPropertySource(properties = { "reversible.jdbc.heartbeat-interval=200ms", "reversible.jdbc.instance-timeout=2s",
        "reversible.jdbc.retry.initial=100ms" })
class DatabaseOutageTests extends HttpTestSupport {

    private SwitchableDataSource database;

    @Autowired
    private OutageAfterStep outageAfterStep;

    @Autowired
    void database(DataSource dataSource) {
        this.database = (SwitchableDataSource) dataSource;
    }

    @AfterEach
    void databaseBack() {
        outageAfterStep.arm(null);
        database.down(false);
    }

    @Test
    void orderWhileTheDatabaseIsDownIs503ProblemAndTheSameOrderSucceedsOnceItIsBack() {
        database.down(true);

        Reply refused = postOrder("alice", "BOOK-1", 2, "DE");

        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.contentType()).isEqualTo(PROBLEM_JSON);
        assertThat(refused.fieldNames()).containsExactlyInAnyOrder("title", "status", "detail", "instance");
        assertThat(refused.text("title")).isEqualTo("Database unavailable");
        assertThat(refused.text("detail")).isEqualTo("The database cannot be used right now (the test's database is down); "
                + "nothing further was done, try again shortly");
        assertThat(refused.text("instance")).isEqualTo("/orders");
        Reply stock = get("/inventory/BOOK-1");
        assertThat(stock.status()).isEqualTo(503);
        assertThat(stock.contentType()).isEqualTo(PROBLEM_JSON);

        database.down(false);

        Reply placed = postOrder("alice", "BOOK-1", 2, "DE");
        assertThat(placed.status()).isEqualTo(201);
        assertThat(placed.text("status")).isEqualTo("CONFIRMED");
        assertThat(stock("BOOK-1")).isEqualTo(8);
    }

    @Test
    void sagaInterruptedByAnOutageRunsNoFurtherStepAndIsCompensatedOnceTheDatabaseIsBack() {
        outageAfterStep.arm("reserveStock");

        Reply interrupted = postOrder("alice", "BOOK-1", 2, "DE");

        assertThat(interrupted.status()).isEqualTo(503);
        assertThat(interrupted.contentType()).isEqualTo(PROBLEM_JSON);
        assertThat(interrupted.text("title")).isEqualTo("Database unavailable");

        database.down(false);

        long orderId = jdbc.sql("SELECT id FROM orders").query(Long.class).single();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(get("/orders/" + orderId).text("status")).isEqualTo("CANCELLED"));
        assertThat(get("/orders/" + orderId).strings("compensatedSteps")).containsExactly("reserveStock", "createOrder");
        assertSeededStockAndBalances();
        // chargeAccount's start could not be journaled, so it never ran: no charge, no shipment.
        assertThat(rows("account_charges")).isZero();
        assertThat(rows("shipments")).isZero();
        assertThat(jdbc.sql("SELECT status FROM stock_reservations WHERE order_id = :id").param("id", orderId).query(String.class).single())
                .isEqualTo("RELEASED");
        // Serving again by itself.
        assertThat(postOrder("alice", "BOOK-1", 2, "DE").status()).isEqualTo(201);
    }

    /** The application's {@code DataSource}, wrapped so that a test can take the database down and bring it back. */
    static final class SwitchableDataSource extends DelegatingDataSource {

        private volatile boolean down;

        SwitchableDataSource(DataSource pool) {
            super(pool);
        }

        void down(boolean down) {
            this.down = down;
        }

        @Override
        public Connection getConnection() throws SQLException {
            refuseWhileDown();
            return super.getConnection();
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            refuseWhileDown();
            return super.getConnection(username, password);
        }

        private void refuseWhileDown() throws SQLException {
            if (down) {
                throw new SQLTransientConnectionException("the test's database is down");
            }
        }
    }

    /** Takes the database down right after a chosen step completed: the next step's start cannot be journaled. */
    static final class OutageAfterStep implements SagaListener {

        private final SwitchableDataSource database;
        private volatile String step;

        OutageAfterStep(SwitchableDataSource database) {
            this.database = database;
        }

        void arm(String step) {
            this.step = step;
        }

        @Override
        public void stepCompleted(SagaInfo saga, String completed, long nanos) {
            if (completed.equals(step)) {
                step = null;
                database.down(true);
            }
        }
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class Outage {

        /** Wraps the application's pool; everything (the demo, the journal, the transaction manager) gets the wrapper. */
        @Bean
        static BeanPostProcessor switchableDatabase() {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String beanName) {
                    return bean instanceof DataSource pool && !(bean instanceof SwitchableDataSource) && "dataSource".equals(beanName)
                            ? new SwitchableDataSource(pool) : bean;
                }
            };
        }

        @Bean
        OutageAfterStep outageAfterStep(DataSource dataSource) {
            return new OutageAfterStep((SwitchableDataSource) dataSource);
        }
    }
}
