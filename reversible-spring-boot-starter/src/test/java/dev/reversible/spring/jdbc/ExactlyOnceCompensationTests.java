package dev.reversible.spring.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import javax.sql.DataSource;

import dev.reversible.core.CompensationFailedException;
import dev.reversible.jdbc.InstanceRegistry;
import dev.reversible.jdbc.JdbcJournal;
import dev.reversible.jdbc.JournalInstance;
import dev.reversible.jdbc.SagaClaims;
import dev.reversible.jdbc.SagaHandle;
import dev.reversible.spring.CompensationContext;
import dev.reversible.spring.annotation.Compensate;
import dev.reversible.spring.annotation.ReversibleAction;
import dev.reversible.spring.annotation.ReversibleSaga;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * Exactly-once compensations on the journal's own database: a {@code @Transactional} handler on the journal's
 * H2 {@code DataSource} writes its refund row and its step's "compensated" mark in one transaction — both
 * commit, or neither — in a live rollback and in recovery; a handler without {@code @Transactional} is marked
 * after it, in the journal's own transaction (at-least-once).
 */
class ExactlyOnceCompensationTests {

    /** What the refund handler saw, in order: "refund #0", "inside: COMPENSATED", "outside: COMPLETED", ... */
    static final List<String> SEEN = new CopyOnWriteArrayList<>();

    private String url;
    private ApplicationContextRunner runner;

    @BeforeEach
    void setUp() {
        JournalTestApp.reset();
        SEEN.clear();
        Ledger.failing = null;
        Ledger.beforeCommit = null;
        Ledger.duringRefund = () -> { };
        url = JournalTestApp.newDatabaseUrl();
        runner = JournalTestApp.runner(url).withConfiguration(transactions()).withUserConfiguration(Config.class);
    }

    /** @return the application under test, on this test's database */
    ApplicationContextRunner runner() {
        return runner;
    }

    /** @return the transaction management under test: here a {@code DataSourceTransactionManager} on the journal's database */
    AutoConfigurations transactions() {
        return AutoConfigurations.of(DataSourceTransactionManagerAutoConfiguration.class, TransactionAutoConfiguration.class);
    }

    @Test
    void transactionalHandlersRowAndItsCompensatedMarkCommitInOneTransaction() {
        runner.run(context -> {
            Throwable thrown = catchThrowable(() -> context.getBean(Checkout.class).payThenFail("alice"));

            assertThat(thrown).isInstanceOf(IllegalStateException.class).hasMessage("out of stock");
            // Just before the handler's commit: the mark is in its transaction, invisible to any other connection
            // (which sees the step's end, committed by the journal before the handler's transaction began).
            assertThat(SEEN).containsExactly("refund #0 attempt=1", "inside: COMPENSATED", "outside: COMPLETED");
            assertThat(refunds(context)).containsExactly("alice #0");
            assertThat(steps(context)).containsExactly("charge:COMPENSATED");
            assertThat(saga(context)).isEqualTo("COMPENSATED");
        });
    }

    @Test
    void handlerWhoseCommitFailsAfterTheMarkLeavesNeitherItsRowNorTheMark() {
        runner.run(context -> {
            Ledger.beforeCommit = new IllegalStateException("database lost at commit");

            Throwable thrown = catchThrowable(() -> context.getBean(Checkout.class).payThenFail("alice"));

            assertThat(thrown).isInstanceOf(CompensationFailedException.class);
            assertThat(SEEN).containsExactly("refund #0 attempt=1", "inside: COMPENSATED", "outside: COMPLETED");
            assertThat(refunds(context)).isEmpty();
            assertThat(steps(context)).containsExactly("charge:COMPENSATION_FAILED");
            assertThat(saga(context)).isEqualTo("COMPENSATING");
        });
    }

    @Test
    void formerOwnerFencedWhileItsHandlerRunsRollsTheHandlersRowBackWithTheRefusedMark() {
        runner.run(context -> {
            AtomicReference<List<SagaHandle>> claimed = new AtomicReference<>();
            Ledger.duringRefund = () -> {
                // This instance looks dead; another one claims the saga while the handler's transaction is open.
                InstanceRegistry registry = context.getBean(InstanceRegistry.class);
                registry.gone(context.getBean(JournalInstance.class));
                claimed.set(new SagaClaims(context.getBean(JdbcJournal.class), registry.register("other")).claim(10));
            };

            Throwable thrown = catchThrowable(() -> context.getBean(Checkout.class).payThenFail("alice"));

            assertThat(thrown).isInstanceOf(CompensationFailedException.class);
            assertThat(claimed.get()).hasSize(1);
            assertThat(refunds(context)).isEmpty();
            assertThat(steps(context)).containsExactly("charge:COMPLETED");
        });
    }

    @Test
    void handlerThatThrowsLeavesNeitherItsRowNorTheMark() {
        runner.run(context -> {
            Ledger.failing = new IllegalStateException("ledger closed");

            Throwable thrown = catchThrowable(() -> context.getBean(Checkout.class).payThenFail("alice"));

            assertThat(thrown).isInstanceOf(CompensationFailedException.class);
            assertThat(SEEN).containsExactly("refund #0 attempt=1");
            assertThat(refunds(context)).isEmpty();
            assertThat(steps(context)).containsExactly("charge:COMPENSATION_FAILED");
            assertThat(saga(context)).isEqualTo("COMPENSATING");
        });
    }

    @Test
    void handlerWithoutTransactionalIsMarkedAfterItInTheJournalsOwnTransaction() {
        runner.run(context -> {
            Throwable thrown = catchThrowable(() -> context.getBean(Checkout.class).notifyThenFail("alice"));

            assertThat(thrown).isInstanceOf(IllegalStateException.class).hasMessage("out of stock");
            // Its own end is still buffered (it rides on the mark's commit): the mark comes after the handler.
            assertThat(SEEN).containsExactly("unnotify #0 sees RUNNING");
            assertThat(steps(context)).containsExactly("notifyCustomer:COMPENSATED");
        });
    }

    @Test
    void recoveryRunsATransactionalHandlerInTheTransactionThatMarksItCompensated() throws Exception {
        ApplicationContextRunner instanceA = runner.withPropertyValues("reversible.jdbc.heartbeat-interval=1h", "reversible.jdbc.instance-timeout=2h");
        ApplicationContextRunner instanceB = runner.withPropertyValues("reversible.jdbc.heartbeat-interval=50ms",
                "reversible.jdbc.instance-timeout=10s");
        instanceA.run(a -> {
            Thread running = crashDuringShip(a);

            instanceB.run(b -> {
                await().atMost(Duration.ofSeconds(10)).until(() -> "COMPENSATED".equals(saga(b)));

                assertThat(SEEN).containsExactly("refund #0 attempt=1", "inside: COMPENSATED", "outside: COMPLETED");
                assertThat(refunds(b)).containsExactly("alice #0");
                assertThat(steps(b)).containsExactly("charge:COMPENSATED", "ship:COMPENSATED");
            });
            JournalTestApp.Shipping.hold.countDown();
            running.join();
        });
    }

    @Test
    void recoveryOfAHandlerThatThrowsLeavesNeitherItsRowNorTheMark() throws Exception {
        ApplicationContextRunner instanceA = runner.withPropertyValues("reversible.jdbc.heartbeat-interval=1h", "reversible.jdbc.instance-timeout=2h");
        ApplicationContextRunner instanceB = runner.withPropertyValues("reversible.jdbc.heartbeat-interval=50ms",
                "reversible.jdbc.instance-timeout=10s", "reversible.jdbc.retry.initial=10m");
        instanceA.run(a -> {
            Thread running = crashDuringShip(a);
            Ledger.failing = new IllegalStateException("ledger closed");

            instanceB.run(b -> {
                await().atMost(Duration.ofSeconds(10)).until(() -> steps(b).contains("charge:COMPENSATION_FAILED"));

                assertThat(refunds(b)).isEmpty();
                assertThat(steps(b)).containsExactly("charge:COMPENSATION_FAILED", "ship:COMPENSATED");
                assertThat(saga(b)).isEqualTo("COMPENSATING");
            });
            JournalTestApp.Shipping.hold.countDown();
            running.join();
        });
    }

    /** Runs pay on another thread until ship holds, then makes instance A look dead: its row is gone. */
    private static Thread crashDuringShip(ApplicationContext a) throws InterruptedException {
        JournalTestApp.Shipping.hold = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread running = new Thread(() -> {
            try {
                a.getBean(Checkout.class).pay("alice", "sku-1");
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "instance-a-saga");
        running.start();
        assertThat(JournalTestApp.Shipping.holding.await(10, TimeUnit.SECONDS)).isTrue();
        a.getBean(InstanceRegistry.class).gone(a.getBean(JournalInstance.class));
        return running;
    }

    private static List<String> refunds(ApplicationContext context) {
        return JournalTestApp.jdbc(context).sql("SELECT account || ' #' || step_index FROM refunds ORDER BY step_index").query(String.class).list();
    }

    private static List<String> steps(ApplicationContext context) {
        return JournalTestApp.jdbc(context).sql("SELECT action_name || ':' || status FROM reversible_steps ORDER BY step_index")
                .query(String.class).list();
    }

    private static String saga(ApplicationContext context) {
        return JournalTestApp.jdbc(context).sql("SELECT status FROM reversible_sagas").query(String.class).optional().orElse(null);
    }

    @Configuration(proxyBeanMethods = false)
    static class Config {

        @Bean
        Ledger ledger(DataSource dataSource) {
            JdbcClient jdbc = JdbcClient.create(dataSource);
            jdbc.sql("CREATE TABLE IF NOT EXISTS refunds (saga_id VARCHAR(64) NOT NULL, step_index INT NOT NULL,"
                    + " account VARCHAR(64) NOT NULL, PRIMARY KEY (saga_id, step_index))").update();
            return new Ledger(jdbc, dataSource);
        }

        /** The shop's shipping step only: its payments' action is also named {@code charge}, and names are unique. */
        @Bean
        JournalTestApp.Shipping shipping() {
            return new JournalTestApp.Shipping();
        }

        @Bean
        Checkout checkout(Ledger ledger, JournalTestApp.Shipping shipping) {
            return new Checkout(ledger, shipping);
        }
    }

    public static class Ledger {

        /** Thrown by the refund handler when set. */
        static volatile RuntimeException failing;

        /** Runs inside the refund, after its row is written. */
        static volatile Runnable duringRefund = () -> { };

        /** Thrown at the refund transaction's commit, after the mark, when set. */
        static volatile RuntimeException beforeCommit;

        private final JdbcClient jdbc;
        private final DataSource dataSource;

        Ledger(JdbcClient jdbc, DataSource dataSource) {
            this.jdbc = jdbc;
            this.dataSource = dataSource;
        }

        @ReversibleAction
        public String charge(String account) {
            return "C-" + account;
        }

        @Compensate("charge")
        @Transactional
        public void refund(String account, CompensationContext context) {
            SEEN.add("refund #" + context.stepIndex() + " attempt=" + context.attempt());
            jdbc.sql("INSERT INTO refunds (saga_id, step_index, account) VALUES (?, ?, ?)")
                    .params(context.sagaId(), context.stepIndex(), account).update();
            duringRefund.run();
            if (failing != null) {
                throw failing;
            }
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void beforeCommit(boolean readOnly) {
                    SEEN.add("inside: " + stepStatus(context));
                    SEEN.add("outside: " + stepStatusFromAnotherConnection(context));
                    if (beforeCommit != null) {
                        throw beforeCommit;
                    }
                }
            });
        }

        @ReversibleAction
        public String notifyCustomer(String account) {
            return "N-" + account;
        }

        @Compensate("notifyCustomer")
        public void unnotify(String account, CompensationContext context) {
            SEEN.add("unnotify #" + context.stepIndex() + " sees " + stepStatus(context));
        }

        private String stepStatus(CompensationContext context) {
            return jdbc.sql("SELECT status FROM reversible_steps WHERE saga_id = ? AND step_index = ?")
                    .params(context.sagaId(), context.stepIndex()).query(String.class).single();
        }

        private String stepStatusFromAnotherConnection(CompensationContext context) {
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement statement = connection.prepareStatement("SELECT status FROM reversible_steps WHERE saga_id = ? AND step_index = ?")) {
                statement.setString(1, context.sagaId());
                statement.setInt(2, context.stepIndex());
                try (ResultSet rows = statement.executeQuery()) {
                    return rows.next() ? rows.getString(1) : "none";
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    public static class Checkout {

        private final Ledger ledger;
        private final JournalTestApp.Shipping shipping;

        Checkout(Ledger ledger, JournalTestApp.Shipping shipping) {
            this.ledger = ledger;
            this.shipping = shipping;
        }

        @ReversibleSaga
        public void payThenFail(String account) {
            ledger.charge(account);
            throw new IllegalStateException("out of stock");
        }

        @ReversibleSaga
        public void notifyThenFail(String account) {
            ledger.notifyCustomer(account);
            throw new IllegalStateException("out of stock");
        }

        @ReversibleSaga
        public String pay(String account, String sku) throws InterruptedException {
            ledger.charge(account);
            return shipping.ship(sku);
        }
    }
}
