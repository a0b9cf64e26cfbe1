package dev.reversible.spring.jdbc;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import javax.sql.DataSource;

import dev.reversible.spring.CompensationContext;
import dev.reversible.spring.annotation.Compensate;
import dev.reversible.spring.annotation.ReversibleAction;
import dev.reversible.spring.annotation.ReversibleSaga;
import dev.reversible.spring.annotation.StepRecord;
import dev.reversible.spring.statistics.SagaStatistics;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * {@code @ReversibleAction(record = StepRecord.IN_TRANSACTION)} in a live application: a step whose work is all in its
 * own transaction on the journal's {@code DataSource} has its record written in that transaction — a saga of such
 * steps costs the journal one commit, its end; a failed one rolls back with its record and is not compensated; steps
 * it calls inside its transaction are recorded there too. Declared so but run in no transaction of its own on that
 * {@code DataSource}, it is recorded write-ahead, with one WARN naming the action.
 */
@ExtendWith(OutputCaptureExtension.class)
class InTransactionRecordTests {

    private final String url = JournalTestApp.newDatabaseUrl();
    private ApplicationContextRunner runner;

    /** @return the application's transaction management: Boot's {@code DataSourceTransactionManager} here */
    AutoConfigurations transactions() {
        return AutoConfigurations.of(DataSourceTransactionManagerAutoConfiguration.class, TransactionAutoConfiguration.class);
    }

    @BeforeEach
    void reset() {
        JournalTestApp.reset();
        Shop.duringCharge = () -> { };
        runner = JournalTestApp.runner(url)
                .withConfiguration(transactions())
                .withConfiguration(AutoConfigurations.of(JdbcTemplateAutoConfiguration.class))
                .withPropertyValues("spring.datasource.hikari.connection-init-sql=CREATE TABLE IF NOT EXISTS ledger (entry VARCHAR(40) PRIMARY KEY)")
                .withUserConfiguration(Shop.class);
    }

    @Test
    void aStepInATransactionOfItsOwnInsideAnInTransactionStepIsRefusedAndNothingIsLeft() {
        runner.withPropertyValues("reversible.jdbc.completed=keep").run(context -> {
            Throwable thrown = catchThrowable(() -> context.getBean(Nesting.class).separately("s-1"));

            assertThat(thrown).isInstanceOf(IllegalStateException.class).hasMessageContaining("Step separate of saga")
                    .hasMessageContaining("StepRecord.IN_TRANSACTION");
            assertThat(ledger(context)).as("the outer step rolled back with its record").isEmpty();
            assertThat(JournalTestApp.jdbc(context).sql("SELECT COUNT(*) FROM reversible_steps").query(Integer.class).single()).isZero();
        });
    }

    @Test
    void aSagaOfStepsRecordedInTheirTransactionsCostsTheJournalOneCommit() {
        runner.withUserConfiguration(JdbcStepJournalTests.CountingCommits.class).run(context -> {
            Checkout checkout = context.getBean(Checkout.class);
            checkout.place("warm-up", false);
            AtomicInteger commits = context.getBean(JdbcStepJournalTests.CountingCommits.class).commits;
            commits.set(0);
            JdbcStepJournalTests.CountingCommits.countOnly(Thread.currentThread());

            checkout.place("o-1", false);

            JdbcStepJournalTests.CountingCommits.countOnly(null);
            // each step's own commit, and the saga's end
            assertThat(commits.get()).isEqualTo(3 + 1);
            assertThat(ledger(context)).containsExactly("charge o-1", "charge warm-up", "reserve o-1", "reserve warm-up", "ship o-1",
                    "ship warm-up");
            assertThat(JournalTestApp.jdbc(context).sql("SELECT COUNT(*) FROM reversible_sagas").query(Integer.class).single()).isZero();
        });
    }

    @Test
    void theRecordCommitsWithTheStepAndTheFailedStepVanishesWithItsRollbackUncompensated() {
        runner.withPropertyValues("reversible.jdbc.completed=keep").run(context -> {
            JdbcClient outside = JdbcClient.create(context.getBean(DataSource.class));
            AtomicReference<Integer> visibleOutside = new AtomicReference<>();
            AtomicReference<Integer> visibleInside = new AtomicReference<>();
            Shop.duringCharge = () -> {
                visibleInside.set(context.getBean(JdbcTemplate.class).queryForObject("SELECT COUNT(*) FROM reversible_steps", Integer.class));
                visibleOutside.set(countInNewConnection(context.getBean(DataSource.class)));
            };

            Throwable thrown = catchThrowable(() -> context.getBean(Checkout.class).place("o-2", true));

            assertThat(thrown).hasMessage("no courier for o-2");
            // charge's record goes into its transaction as that commits, with its end: while it runs, only reserve's is there
            assertThat(visibleInside.get()).as("records seen in charge's transaction while it runs").isEqualTo(1);
            assertThat(visibleOutside.get()).as("records committed while charge runs").isEqualTo(1);
            // ship's transaction rolled back with its row and its record: its handler is not called
            assertThat(JournalTestApp.CALLS).containsExactly("reserve", "charge", "ship", "refund o-2", "release o-2");
            assertThat(ledger(context)).isEmpty();
            assertThat(outside.sql("SELECT status FROM reversible_sagas").query(String.class).single()).isEqualTo("COMPENSATED");
            assertThat(outside.sql("SELECT CONCAT(action_name, ':', status) FROM reversible_steps ORDER BY step_index").query(String.class).list())
                    .containsExactly("reserve:COMPENSATED", "charge:COMPENSATED");
            assertThat(context.getBean(SagaStatistics.class).actions().get("ship").compensated()).isZero();
            assertThat(context.getBean(SagaStatistics.class).actions().get("ship").undoneByTransaction()).isEqualTo(1);
        });
    }

    @Test
    void aStepCalledInsideAnInTransactionStepIsRecordedInItsTransaction() {
        runner.withUserConfiguration(JdbcStepJournalTests.CountingCommits.class).run(context -> {
            Nesting nesting = context.getBean(Nesting.class);
            nesting.saga("warm-up");
            AtomicInteger commits = context.getBean(JdbcStepJournalTests.CountingCommits.class).commits;
            commits.set(0);
            JdbcStepJournalTests.CountingCommits.countOnly(Thread.currentThread());

            nesting.saga("n-1");

            JdbcStepJournalTests.CountingCommits.countOnly(null);
            assertThat(commits.get()).as("the outer step's commit and the saga's end").isEqualTo(1 + 1);
            assertThat(ledger(context)).contains("outer n-1", "inner n-1");
        });
    }

    @Test
    void declaredInTransactionButOnAnotherDataSourceOrInNoneItIsRecordedWriteAheadWithOneWarning(CapturedOutput output) {
        runner.withUserConfiguration(JdbcStepJournalTests.CountingCommits.class, Elsewhere.class).run(context -> {
            Elsewhere.Steps.CALLS.set(0);
            Elsewhere.Saga saga = context.getBean(Elsewhere.Saga.class);
            saga.run();
            AtomicInteger commits = context.getBean(JdbcStepJournalTests.CountingCommits.class).commits;
            commits.set(0);
            JdbcStepJournalTests.CountingCommits.countOnly(Thread.currentThread());

            saga.run();

            JdbcStepJournalTests.CountingCommits.countOnly(null);
            // two write-ahead records and the saga's end (the other database's commit is not counted)
            assertThat(commits.get()).isEqualTo(2 + 1);
            assertThat(Elsewhere.Steps.CALLS).hasValue(4);
            assertThat(output.getOut().split("declared record = IN_TRANSACTION", -1)).as("one warning per action").hasSize(3);
            assertThat(output).contains("@ReversibleAction 'otherDatabase' (Steps.otherDatabase) is declared record = IN_TRANSACTION, but its"
                    + " transaction is not on the journal's DataSource");
            assertThat(output).contains("@ReversibleAction 'noTransaction' (Steps.noTransaction) is declared record = IN_TRANSACTION, but it has"
                    + " no @Transactional of its own");
        });
    }

    private static java.util.List<String> ledger(org.springframework.context.ApplicationContext context) {
        return JournalTestApp.jdbc(context).sql("SELECT entry FROM ledger ORDER BY entry").query(String.class).list();
    }

    private static int countInNewConnection(DataSource dataSource) {
        try (var connection = dataSource.getConnection(); var statement = connection.createStatement();
                var rows = statement.executeQuery("SELECT COUNT(*) FROM reversible_steps")) {
            rows.next();
            return rows.getInt(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Three steps, each one ledger row in its own transaction, recorded there. */
    @Configuration(proxyBeanMethods = false)
    static class Shop {

        static volatile Runnable duringCharge = () -> { };

        @Bean
        Steps steps(JdbcTemplate jdbcTemplate) {
            return new Steps(jdbcTemplate);
        }

        @Bean
        Checkout checkout(Steps steps) {
            return new Checkout(steps);
        }

        @Bean
        Inner inner(JdbcTemplate jdbcTemplate) {
            return new Inner(jdbcTemplate);
        }

        @Bean
        Nesting nesting(Outer outer) {
            return new Nesting(outer);
        }

        @Bean
        Outer outer(JdbcTemplate jdbcTemplate, Inner inner) {
            return new Outer(jdbcTemplate, inner);
        }
    }

    public static class Steps {

        private final JdbcTemplate jdbc;

        Steps(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        @ReversibleAction(record = StepRecord.IN_TRANSACTION)
        @Transactional
        public void reserve(String order) {
            JournalTestApp.CALLS.add("reserve");
            jdbc.update("INSERT INTO ledger (entry) VALUES (?)", "reserve " + order);
        }

        @Compensate("reserve")
        public void release(String order, CompensationContext context) {
            JournalTestApp.CALLS.add("release " + order);
            jdbc.update("DELETE FROM ledger WHERE entry = ?", "reserve " + order);
        }

        @ReversibleAction(record = StepRecord.IN_TRANSACTION)
        @Transactional
        public void charge(String order) {
            JournalTestApp.CALLS.add("charge");
            jdbc.update("INSERT INTO ledger (entry) VALUES (?)", "charge " + order);
            Shop.duringCharge.run();
        }

        @Compensate("charge")
        public void refund(String order) {
            JournalTestApp.CALLS.add("refund " + order);
            jdbc.update("DELETE FROM ledger WHERE entry = ?", "charge " + order);
        }

        @ReversibleAction(record = StepRecord.IN_TRANSACTION)
        @Transactional
        public void ship(String order, boolean fail) {
            JournalTestApp.CALLS.add("ship");
            jdbc.update("INSERT INTO ledger (entry) VALUES (?)", "ship " + order);
            if (fail) {
                throw new IllegalStateException("no courier for " + order);
            }
        }

        @Compensate("ship")
        public void unship(String order, boolean fail) {
            JournalTestApp.CALLS.add("unship " + order);
        }
    }

    public static class Checkout {

        private final Steps steps;

        Checkout(Steps steps) {
            this.steps = steps;
        }

        @ReversibleSaga
        public void place(String order, boolean failShipping) {
            steps.reserve(order);
            steps.charge(order);
            steps.ship(order, failShipping);
        }
    }

    /** An in-transaction step calling a plain step inside its transaction. */
    public static class Outer {

        private final JdbcTemplate jdbc;
        private final Inner inner;

        Outer(JdbcTemplate jdbc, Inner inner) {
            this.jdbc = jdbc;
            this.inner = inner;
        }

        @ReversibleAction(record = StepRecord.IN_TRANSACTION)
        @Transactional
        public void outer(String order) {
            jdbc.update("INSERT INTO ledger (entry) VALUES (?)", "outer " + order);
            inner.inner(order);
        }

        @Compensate("outer")
        public void undoOuter(String order) {
        }

        @ReversibleAction(record = StepRecord.IN_TRANSACTION)
        @Transactional
        public void outerThenSeparate(String order) {
            jdbc.update("INSERT INTO ledger (entry) VALUES (?)", "outer " + order);
            inner.separate(order);
        }

        @Compensate("outerThenSeparate")
        public void undoOuterThenSeparate(String order) {
        }
    }

    public static class Inner {

        private final JdbcTemplate jdbc;

        Inner(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        @ReversibleAction
        public void inner(String order) {
            jdbc.update("INSERT INTO ledger (entry) VALUES (?)", "inner " + order);
        }

        @Compensate("inner")
        public void undoInner(String order) {
        }

        @ReversibleAction
        @Transactional(propagation = Propagation.REQUIRES_NEW)
        public void separate(String order) {
            jdbc.update("INSERT INTO ledger (entry) VALUES (?)", "separate " + order);
        }

        @Compensate("separate")
        public void undoSeparate(String order) {
        }
    }

    public static class Nesting {

        private final Outer outer;

        Nesting(Outer outer) {
            this.outer = outer;
        }

        @ReversibleSaga
        public void saga(String order) {
            outer.outer(order);
        }

        @ReversibleSaga
        public void separately(String order) {
            outer.outerThenSeparate(order);
        }
    }

    /** Steps declared in-transaction whose transaction is on another database, or that have none. */
    @Configuration(proxyBeanMethods = false)
    static class Elsewhere {

        @Bean
        DataSourceTransactionManager transactionManager(DataSource dataSource) {
            return new DataSourceTransactionManager(dataSource);
        }

        @Bean
        DataSourceTransactionManager otherTransactions() {
            return new DataSourceTransactionManager(new DriverManagerDataSource("jdbc:h2:mem:other-" + java.util.UUID.randomUUID()));
        }

        @Bean
        Steps elsewhereSteps() {
            return new Steps();
        }

        @Bean
        Saga elsewhereSaga(Steps elsewhereSteps) {
            return new Saga(elsewhereSteps);
        }

        public static class Steps {

            static final AtomicInteger CALLS = new AtomicInteger();

            @ReversibleAction(record = StepRecord.IN_TRANSACTION)
            @Transactional("otherTransactions")
            public void otherDatabase() {
                CALLS.incrementAndGet();
            }

            @Compensate("otherDatabase")
            public void undoOtherDatabase() {
            }

            @ReversibleAction(record = StepRecord.IN_TRANSACTION)
            public void noTransaction() {
                CALLS.incrementAndGet();
            }

            @Compensate("noTransaction")
            public void undoNoTransaction() {
            }
        }

        public static class Saga {

            private final Steps steps;

            Saga(Steps steps) {
                this.steps = steps;
            }

            @ReversibleSaga
            public void run() {
                steps.otherDatabase();
                steps.noTransaction();
            }
        }
    }
}
