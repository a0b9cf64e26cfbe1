package dev.reversible.spring.jdbc;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import javax.sql.DataSource;

import dev.reversible.jdbc.JournalPayloadException;
import dev.reversible.spring.annotation.Compensate;
import dev.reversible.spring.annotation.ReversibleAction;
import dev.reversible.spring.annotation.ReversibleSaga;
import dev.reversible.spring.jdbc.JournalTestApp.Orders;
import dev.reversible.spring.jdbc.JournalTestApp.Payments;
import dev.reversible.spring.jdbc.JournalTestApp.Shipping;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Transactional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The write path: every step of the executor's sagas is in the journal before its {@code forwards} runs, a
 * completed saga leaves nothing (or a {@code COMPLETED} record with {@code keep}), a rolled-back saga is
 * {@code COMPENSATED} step by step, the success path costs one commit per step plus one, and a step whose
 * start cannot be journaled is not run.
 */
class JdbcStepJournalTests {

    private final String url = JournalTestApp.newDatabaseUrl();
    private final ApplicationContextRunner runner = JournalTestApp.runner(url).withUserConfiguration(JournalTestApp.Shop.class);

    @BeforeEach
    void reset() {
        JournalTestApp.reset();
    }

    @Test
    void stepIsRecordedRunningBeforeItsForwardsRuns() {
        runner.run(context -> {
            JdbcClient jdbc = JournalTestApp.jdbc(context);
            AtomicReference<List<Map<String, Object>>> seen = new AtomicReference<>();
            Payments.duringCharge = () -> seen.set(jdbc.sql("SELECT step_index, bean_name, action_name, arguments, status, result"
                    + " FROM reversible_steps ORDER BY step_index").query().listOfRows());

            context.getBean(Orders.class).place("sku-1");

            assertThat(seen.get()).hasSize(2);
            assertThat(seen.get().get(0)).containsEntry("BEAN_NAME", "stock").containsEntry("ACTION_NAME", "reserve")
                    .containsEntry("STATUS", "COMPLETED").containsEntry("RESULT", "\"R-sku-1-2\"");
            assertThat(seen.get().get(1)).containsEntry("BEAN_NAME", "payments").containsEntry("ACTION_NAME", "charge")
                    .containsEntry("STATUS", "RUNNING").containsEntry("ARGUMENTS", "[\"alice\",3000]");
        });
    }

    @Test
    void completedSagaLeavesNoRowsByDefault() {
        runner.run(context -> {
            context.getBean(Orders.class).place("sku-1");

            JdbcClient jdbc = JournalTestApp.jdbc(context);
            assertThat(jdbc.sql("SELECT COUNT(*) FROM reversible_sagas").query(Integer.class).single()).isZero();
            assertThat(jdbc.sql("SELECT COUNT(*) FROM reversible_steps").query(Integer.class).single()).isZero();
            assertThat(context.getBean(JdbcStepJournal.class).runningSagas()).isZero();
        });
    }

    @Test
    void completedSagaIsKeptAsCompletedWithKeep() {
        runner.withPropertyValues("reversible.jdbc.completed=keep").run(context -> {
            context.getBean(Orders.class).place("sku-1");

            JdbcClient jdbc = JournalTestApp.jdbc(context);
            assertThat(jdbc.sql("SELECT name, status FROM reversible_sagas").query().singleRow())
                    .containsEntry("NAME", "Orders.place").containsEntry("STATUS", "COMPLETED");
            assertThat(jdbc.sql("SELECT action_name || ':' || status || ':' || result FROM reversible_steps ORDER BY step_index")
                    .query(String.class).list())
                    .containsExactly("reserve:COMPLETED:\"R-sku-1-2\"", "charge:COMPLETED:\"C-alice\"", "ship:COMPLETED:\"S-sku-1\"");
        });
    }

    @Test
    void rolledBackSagaIsRecordedCompensatedStepByStep() {
        runner.withPropertyValues("reversible.jdbc.completed=keep").run(context -> {
            Shipping.failure = new IllegalStateException("no courier");

            Throwable thrown = catchThrowable(() -> context.getBean(Orders.class).place("sku-1"));

            assertThat(thrown).isSameAs(Shipping.failure);
            JdbcClient jdbc = JournalTestApp.jdbc(context);
            assertThat(jdbc.sql("SELECT status, failed_step FROM reversible_sagas").query().singleRow())
                    .containsEntry("STATUS", "COMPENSATED").containsEntry("FAILED_STEP", "ship");
            assertThat(jdbc.sql("SELECT action_name || ':' || status FROM reversible_steps ORDER BY step_index").query(String.class).list())
                    .containsExactly("reserve:COMPENSATED", "charge:COMPENSATED", "ship:COMPENSATED");
            assertThat(context.getBean(JdbcStepJournal.class).runningSagas()).isZero();
        });
    }

    @Test
    void successPathCommitsOncePerStepPlusOnceAtTheEnd() {
        runner.withUserConfiguration(CountingCommits.class).run(context -> {
            context.getBean(Orders.class).place("warm-up");
            AtomicInteger commits = context.getBean(CountingCommits.class).commits;
            commits.set(0);
            CountingCommits.countOnly(Thread.currentThread());

            context.getBean(Orders.class).place("sku-1");

            CountingCommits.countOnly(null);
            assertThat(commits.get()).isEqualTo(3 + 1);
        });
    }

    @Test
    void stepWhoseArgumentsCannotBeJournaledIsNotRun() {
        runner.withUserConfiguration(Unwritable.Config.class).run(context -> {
            Throwable thrown = catchThrowable(() -> context.getBean(Unwritable.class).saga());

            assertThat(thrown).isInstanceOf(JournalPayloadException.class).hasMessageContaining("Opaque");
            assertThat(JournalTestApp.CALLS).containsExactly("first", "undo first");
        });
    }

    @Test
    void stepOnAPrototypeBeanIsRecordedAsNotASingleton() {
        runner.withUserConfiguration(JournalTestApp.PrototypeStep.class).withPropertyValues("reversible.jdbc.completed=keep").run(context -> {
            context.getBean(JournalTestApp.Coupons.class).redeem("WINTER");

            assertThat(JournalTestApp.jdbc(context).sql("SELECT bean_name FROM reversible_steps").query(String.class).single())
                    .isEqualTo(JdbcStepJournal.NOT_A_SINGLETON);
        });
    }

    @Test
    void stepThatJoinedTheSagasRolledBackTransactionIsRecordedUndoneByItAndNotCompensated() {
        transactional.withPropertyValues("reversible.jdbc.completed=keep").run(context -> {
            Throwable thrown = catchThrowable(() -> context.getBean(Checkout.class).pay(true));

            assertThat(thrown).hasMessage("refused");
            JdbcClient jdbc = JournalTestApp.jdbc(context);
            assertThat(jdbc.sql("SELECT COUNT(*) FROM ledger").query(Integer.class).single()).isZero();
            assertThat(JournalTestApp.CALLS).containsExactly("book");
            assertThat(jdbc.sql("SELECT status FROM reversible_sagas").query(String.class).single()).isEqualTo("COMPENSATED");
            assertThat(jdbc.sql("SELECT status FROM reversible_steps").query(String.class).single()).isEqualTo("UNDONE_BY_TRANSACTION");
        });
    }

    @Test
    void sagaCompletedInsideACallersTransactionIsDeletedWhenThatTransactionCommits() {
        transactional.run(context -> {
            context.getBean(Caller.class).payInside();

            JdbcClient jdbc = JournalTestApp.jdbc(context);
            assertThat(jdbc.sql("SELECT COUNT(*) FROM ledger").query(Integer.class).single()).isEqualTo(1);
            assertThat(jdbc.sql("SELECT COUNT(*) FROM reversible_sagas").query(Integer.class).single()).isZero();
            assertThat(jdbc.sql("SELECT COUNT(*) FROM reversible_steps").query(Integer.class).single()).isZero();
        });
    }

    private final ApplicationContextRunner transactional = JournalTestApp.runner(url)
            .withConfiguration(AutoConfigurations.of(DataSourceTransactionManagerAutoConfiguration.class, TransactionAutoConfiguration.class,
                    JdbcTemplateAutoConfiguration.class))
            .withPropertyValues("spring.datasource.hikari.connection-init-sql=CREATE TABLE IF NOT EXISTS ledger (id IDENTITY, account VARCHAR(20))",
                    "spring.datasource.url=" + url + ";LOCK_TIMEOUT=3000")
            .withUserConfiguration(Banking.class);

    /** A ledger step that joins the transaction it is called in, a transactional saga, and a transactional caller. */
    @Configuration(proxyBeanMethods = false)
    static class Banking {

        @Bean
        Ledger ledger(JdbcTemplate jdbcTemplate) {
            return new Ledger(jdbcTemplate);
        }

        @Bean
        Checkout checkout(Ledger ledger) {
            return new Checkout(ledger);
        }

        @Bean
        Caller caller(Checkout checkout) {
            return new Caller(checkout);
        }
    }

    public static class Ledger {

        private final JdbcTemplate jdbc;

        Ledger(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        @Transactional
        @ReversibleAction
        public void book(String account) {
            JournalTestApp.CALLS.add("book");
            jdbc.update("INSERT INTO ledger (account) VALUES (?)", account);
        }

        @Compensate("book")
        public void unbook(String account) {
            JournalTestApp.CALLS.add("unbook");
        }
    }

    public static class Checkout {

        private final Ledger ledger;

        Checkout(Ledger ledger) {
            this.ledger = ledger;
        }

        @Transactional
        @ReversibleSaga
        public void pay(boolean refuse) {
            ledger.book("alice");
            if (refuse) {
                throw new IllegalStateException("refused");
            }
        }
    }

    public static class Caller {

        private final Checkout checkout;

        Caller(Checkout checkout) {
            this.checkout = checkout;
        }

        @Transactional
        public void payInside() {
            checkout.pay(false);
        }
    }

    /**
     * Counts the commits made on one thread through the application's DataSource (the journal's too; a statement
     * prepared in auto-commit mode counts as one).
     */
    @Configuration(proxyBeanMethods = false)
    static class CountingCommits {

        private static volatile Thread counted;
        final AtomicInteger commits = new AtomicInteger();

        static void countOnly(Thread thread) {
            counted = thread;
        }

        @Bean
        static BeanPostProcessor countingDataSource(org.springframework.beans.factory.ObjectProvider<CountingCommits> self) {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String beanName) {
                    if (!(bean instanceof DataSource dataSource)) {
                        return bean;
                    }
                    return Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] { DataSource.class }, (p, m, a) -> {
                        Object result = m.invoke(dataSource, a);
                        if (result instanceof Connection connection) {
                            return Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] { Connection.class }, (cp, cm, ca) -> {
                                boolean alone = (cm.getName().startsWith("prepare") || cm.getName().equals("createStatement"))
                                        && connection.getAutoCommit();   // a statement on its own commits when it returns
                                if ((cm.getName().equals("commit") || alone) && Thread.currentThread() == counted) {
                                    self.getObject().commits.incrementAndGet();
                                }
                                return cm.invoke(connection, ca);
                            });
                        }
                        return result;
                    });
                }
            };
        }
    }

    /** A saga whose second step takes an argument JSON cannot write (no properties). */
    public static class Unwritable {

        private final UnwritableSteps steps;

        Unwritable(UnwritableSteps steps) {
            this.steps = steps;
        }

        @ReversibleSaga
        public void saga() {
            steps.first();
            steps.second(new Opaque());
        }

        /** Nothing Jackson can write. */
        public static final class Opaque {
        }

        @Configuration(proxyBeanMethods = false)
        static class Config {

            @Bean
            UnwritableSteps unwritableSteps() {
                return new UnwritableSteps();
            }

            @Bean
            Unwritable unwritable(UnwritableSteps unwritableSteps) {
                return new Unwritable(unwritableSteps);
            }
        }
    }

    public static class UnwritableSteps {

        @ReversibleAction
        public void first() {
            JournalTestApp.CALLS.add("first");
        }

        @Compensate("first")
        public void undoFirst() {
            JournalTestApp.CALLS.add("undo first");
        }

        @ReversibleAction
        public void second(Unwritable.Opaque opaque) {
            JournalTestApp.CALLS.add("second");
        }

        @Compensate("second")
        public void undoSecond(Unwritable.Opaque opaque) {
            JournalTestApp.CALLS.add("undo second");
        }
    }
}
