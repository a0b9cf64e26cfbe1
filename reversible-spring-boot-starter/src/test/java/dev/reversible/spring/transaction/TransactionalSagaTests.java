package dev.reversible.spring.transaction;

import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.reversible.spring.actuate.endpoint.ReversibleEndpoint;
import dev.reversible.spring.annotation.Compensate;
import dev.reversible.spring.annotation.ReversibleAction;
import dev.reversible.spring.annotation.ReversibleSaga;
import dev.reversible.spring.autoconfigure.ReversibleAutoConfiguration;
import dev.reversible.spring.autoconfigure.ReversibleEndpointAutoConfiguration;
import dev.reversible.spring.autoconfigure.ReversibleMetricsAutoConfiguration;
import dev.reversible.spring.autoconfigure.ReversibleObservationAutoConfiguration;
import dev.reversible.spring.statistics.RollbackRecord;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A {@code @Transactional @ReversibleSaga} on a real H2 database neither loses nor duplicates an undo: a
 * step that joined the saga's transaction is undone by its rollback and its handler is never called; a
 * step in its own transaction ({@code REQUIRES_NEW}) or in none is compensated once.
 */
class TransactionalSagaTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, JdbcTemplateAutoConfiguration.class,
                    DataSourceTransactionManagerAutoConfiguration.class, TransactionAutoConfiguration.class,
                    MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
                    ObservationAutoConfiguration.class, ReversibleAutoConfiguration.class, ReversibleObservationAutoConfiguration.class,
                    ReversibleMetricsAutoConfiguration.class, ReversibleEndpointAutoConfiguration.class))
            .withPropertyValues("spring.datasource.url=jdbc:h2:mem:tx-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1",
                    "spring.datasource.generate-unique-name=false", "management.endpoints.web.exposure.include=reversible")
            .withUserConfiguration(Config.class);

    @Test
    void failingTransactionalSagaRestoresTheBalanceWithoutCallingTheJoinedStepsHandler() {
        runner.run(context -> {
            Bank bank = context.getBean(Bank.class);
            bank.open("alice", "100.00");
            IllegalStateException failure = new IllegalStateException("shipment refused");

            Throwable thrown = catchThrowable(() -> context.getBean(Checkout.class).pay("alice", "25.00", failure));

            assertThat(thrown).isSameAs(failure);
            assertThat(bank.balance("alice")).isEqualByComparingTo("100.00");
            assertThat(bank.ledger()).isEmpty();
            Calls calls = context.getBean(Calls.class);
            assertThat(calls.list).containsExactly("debit alice 25.00", "ledger alice 25.00", "notify alice",
                    "unnotify alice", "unledger alice 25.00");
            assertThat(calls.list).doesNotContain("credit alice 25.00");
        });
    }

    @Test
    void failingTransactionalSagaReportsTheJoinedStepAsUndoneByItsTransactionOnEndpointMetersAndLog() {
        runner.run(context -> {
            context.getBean(Bank.class).open("alice", "100.00");

            catchThrowable(() -> context.getBean(Checkout.class).pay("alice", "25.00", new IllegalStateException("refused")));

            ReversibleEndpoint.ReversibleDescriptor endpoint = context.getBean(ReversibleEndpoint.class).reversible();
            assertThat(endpoint.actions().get("debit")).isEqualTo(new ReversibleEndpoint.ActionDescriptor(1, 0, 0, 0, 1));
            assertThat(endpoint.actions().get("ledger")).isEqualTo(new ReversibleEndpoint.ActionDescriptor(1, 0, 1, 0, 0));
            assertThat(endpoint.actions().get("notify")).isEqualTo(new ReversibleEndpoint.ActionDescriptor(1, 0, 1, 0, 0));
            assertThat(endpoint.totals().compensated()).isEqualTo(1);
            RollbackRecord rollback = endpoint.recentRollbacks().get(0);
            assertThat(rollback.compensated()).containsExactly("notify", "ledger");
            assertThat(rollback.undoneByTransaction()).containsExactly("debit");
            assertThat(rollback.pending()).isEmpty();
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.get("reversible.compensation").tag("action", "debit").tag("outcome", "undone_by_transaction")
                    .timer().count()).isEqualTo(1);
            assertThat(registry.get("reversible.compensation").tag("action", "debit").tag("outcome", "compensated")
                    .timer().count()).isZero();
        });
    }

    @Test
    void succeedingTransactionalSagaCommitsEveryStep() {
        runner.run(context -> {
            Bank bank = context.getBean(Bank.class);
            bank.open("alice", "100.00");

            context.getBean(Checkout.class).pay("alice", "25.00", null);

            assertThat(bank.balance("alice")).isEqualByComparingTo("75.00");
            assertThat(bank.ledger()).containsExactly("alice 25.00");
            assertThat(context.getBean(Calls.class).list).containsExactly("debit alice 25.00", "ledger alice 25.00", "notify alice");
        });
    }

    @Test
    void joinedStepThatFailsIsUndoneByTheTransactionAndItsHandlerIsNotCalled() {
        runner.run(context -> {
            Bank bank = context.getBean(Bank.class);
            bank.open("bob", "10.00");

            Throwable thrown = catchThrowable(() -> context.getBean(Checkout.class).payTooMuch("bob", "25.00"));

            assertThat(thrown).isInstanceOf(IllegalStateException.class).hasMessage("overdrawn: bob");
            assertThat(bank.balance("bob")).isEqualByComparingTo("10.00");
            assertThat(context.getBean(Calls.class).list).containsExactly("debit bob 25.00");
            assertThat(context.getBean(ReversibleEndpoint.class).reversible().actions().get("debit"))
                    .isEqualTo(new ReversibleEndpoint.ActionDescriptor(0, 1, 0, 0, 1));
        });
    }

    @Test
    void stepsOfASagaWithoutTransactionAreCompensatedAsUsual() {
        runner.run(context -> {
            Bank bank = context.getBean(Bank.class);
            bank.open("alice", "100.00");

            catchThrowable(() -> context.getBean(Checkout.class).payWithoutTransaction("alice", "25.00"));

            // The debit committed in its own transaction: its compensation credits it back, once.
            assertThat(bank.balance("alice")).isEqualByComparingTo("100.00");
            assertThat(context.getBean(Calls.class).list).containsExactly("debit alice 25.00", "credit alice 25.00");
        });
    }

    @Test
    void sagaRolledBackInsideACallersOpenTransactionDefersTheJoinedStepToThatTransactionsOutcome() {
        runner.run(context -> {
            Bank bank = context.getBean(Bank.class);
            bank.open("alice", "100.00");
            TransactionTemplate caller = new TransactionTemplate(context.getBean(org.springframework.transaction.PlatformTransactionManager.class));
            Calls calls = context.getBean(Calls.class);

            caller.executeWithoutResult(status -> {
                catchThrowable(() -> context.getBean(Checkout.class).payWithoutTransaction("alice", "25.00"));
                // Inside the caller's transaction, the debit joined it and the transaction is still open: nothing undone yet.
                assertThat(calls.list).containsExactly("debit alice 25.00");
            });

            // The caller committed: the debit stood, so its compensation ran after the commit, once.
            assertThat(calls.list).containsExactly("debit alice 25.00", "credit alice 25.00");
            assertThat(bank.balance("alice")).isEqualByComparingTo("100.00");
        });
    }

    /** What the beans did, in order. */
    static class Calls {

        final List<String> list = new CopyOnWriteArrayList<>();
    }

    @Configuration(proxyBeanMethods = false)
    static class Config {

        @Bean
        Calls calls() {
            return new Calls();
        }

        @Bean
        Bank bank(JdbcTemplate jdbc, Calls calls) {
            return new Bank(jdbc, calls);
        }

        @Bean
        Ledger ledgerBook(JdbcTemplate jdbc, Calls calls) {
            return new Ledger(jdbc, calls);
        }

        @Bean
        Notifier notifier(Calls calls) {
            return new Notifier(calls);
        }

        @Bean
        Checkout checkout(Bank bank, Ledger ledger, Notifier notifier) {
            return new Checkout(bank, ledger, notifier);
        }
    }

    static class Checkout {

        private final Bank bank;
        private final Ledger ledger;
        private final Notifier notifier;

        Checkout(Bank bank, Ledger ledger, Notifier notifier) {
            this.bank = bank;
            this.ledger = ledger;
            this.notifier = notifier;
        }

        @ReversibleSaga
        @Transactional
        public void pay(String customer, String amount, RuntimeException failure) {
            bank.debit(customer, new BigDecimal(amount));
            ledger.ledger(customer, new BigDecimal(amount));
            notifier.notifyCustomer(customer);
            if (failure != null) {
                throw failure;
            }
        }

        @ReversibleSaga
        @Transactional
        public void payTooMuch(String customer, String amount) {
            bank.debit(customer, new BigDecimal(amount));
        }

        @ReversibleSaga
        public void payWithoutTransaction(String customer, String amount) {
            bank.debit(customer, new BigDecimal(amount));
            throw new IllegalStateException("refused");
        }
    }

    /** Joins the caller's transaction: the saga's own, when there is one. */
    static class Bank {

        private final JdbcTemplate jdbc;
        private final Calls calls;

        Bank(JdbcTemplate jdbc, Calls calls) {
            this.jdbc = jdbc;
            this.calls = calls;
        }

        void open(String customer, String balance) {
            jdbc.execute("create table if not exists accounts (customer varchar(20) primary key, balance decimal(10,2))");
            jdbc.execute("create table if not exists ledger (id int auto_increment primary key, entry varchar(40))");
            jdbc.update("insert into accounts values (?, ?)", customer, new BigDecimal(balance));
        }

        BigDecimal balance(String customer) {
            return jdbc.queryForObject("select balance from accounts where customer = ?", BigDecimal.class, customer);
        }

        List<String> ledger() {
            return jdbc.queryForList("select entry from ledger order by id", String.class);
        }

        @ReversibleAction
        @Transactional
        public void debit(String customer, BigDecimal amount) {
            calls.list.add("debit " + customer + " " + amount);
            jdbc.update("update accounts set balance = balance - ? where customer = ?", amount, customer);
            if (balance(customer).signum() < 0) {
                throw new IllegalStateException("overdrawn: " + customer);
            }
        }

        @Compensate("debit")
        @Transactional
        public void credit(String customer, BigDecimal amount) {
            calls.list.add("credit " + customer + " " + amount);
            jdbc.update("update accounts set balance = balance + ? where customer = ?", amount, customer);
        }
    }

    /** Writes in a transaction of its own: it commits whatever the saga's transaction does. */
    static class Ledger {

        private final JdbcTemplate jdbc;
        private final Calls calls;

        Ledger(JdbcTemplate jdbc, Calls calls) {
            this.jdbc = jdbc;
            this.calls = calls;
        }

        @ReversibleAction
        @Transactional(propagation = Propagation.REQUIRES_NEW)
        public void ledger(String customer, BigDecimal amount) {
            calls.list.add("ledger " + customer + " " + amount);
            jdbc.update("insert into ledger (entry) values (?)", customer + " " + amount);
        }

        @Compensate("ledger")
        @Transactional(propagation = Propagation.REQUIRES_NEW)
        public void unledger(String customer, BigDecimal amount) {
            calls.list.add("unledger " + customer + " " + amount);
            jdbc.update("delete from ledger where entry = ?", customer + " " + amount);
        }
    }

    /** No transaction at all: a message sent is not undone by any rollback. */
    static class Notifier {

        private final Calls calls;

        Notifier(Calls calls) {
            this.calls = calls;
        }

        @ReversibleAction("notify")
        public void notifyCustomer(String customer) {
            calls.list.add("notify " + customer);
        }

        @Compensate("notify")
        public void unnotify(String customer) {
            calls.list.add("unnotify " + customer);
        }
    }
}
