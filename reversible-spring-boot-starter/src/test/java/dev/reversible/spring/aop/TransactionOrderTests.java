package dev.reversible.spring.aop;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.reversible.spring.annotation.Compensate;
import dev.reversible.spring.annotation.ReversibleAction;
import dev.reversible.spring.annotation.ReversibleSaga;
import dev.reversible.spring.autoconfigure.ReversibleAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.EnableTransactionManagement;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The saga aspect's order relative to {@code @Transactional}, on a real embedded database: by default the
 * saga boundary wraps the transaction, so compensations run after it has rolled back; ordering the
 * transaction advisor outside (or the saga aspect later, {@code reversible.aspect-order}) leaves the
 * transaction open during the rollback, and the handler still runs with it suspended — never inside a
 * transaction that is about to roll back.
 */
class TransactionOrderTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, JdbcTemplateAutoConfiguration.class,
                    DataSourceTransactionManagerAutoConfiguration.class, TransactionAutoConfiguration.class,
                    ReversibleAutoConfiguration.class))
            .withUserConfiguration(Config.class);

    @Test
    void byDefaultTheCompensationRunsAfterTheSagasTransactionRolledBack() {
        runner.run(context -> {
            createTables(context.getBean(JdbcTemplate.class));
            IllegalStateException failure = new IllegalStateException("payment declined");

            Throwable thrown = catchThrowable(() -> context.getBean(OrderService.class).placeOrder("o1", failure));

            assertThat(thrown).isSameAs(failure);
            assertThat(context.getBean(Observations.class).lines).containsExactly(
                    "reserve o1: transaction active, orders=1",
                    "release o1: no transaction, orders=0");
            assertThat(orders(context.getBean(JdbcTemplate.class))).isZero();
        });
    }

    @Test
    void transactionAdvisorOrderedFirstStillRunsTheCompensationOutsideTheOpenTransaction() {
        runner.withUserConfiguration(TransactionFirst.class).run(context -> {
            createTables(context.getBean(JdbcTemplate.class));
            IllegalStateException failure = new IllegalStateException("payment declined");

            Throwable thrown = catchThrowable(() -> context.getBean(OrderService.class).placeOrder("o1", failure));

            assertThat(thrown).isSameAs(failure);
            assertThat(context.getBean(Observations.class).lines).containsExactly(
                    "reserve o1: transaction active, orders=1",
                    "release o1: no transaction, orders=0");
            assertThat(orders(context.getBean(JdbcTemplate.class))).isZero();
        });
    }

    /** The transaction advisor at order 100: the saga aspect is outside it below 100, inside it above; the handler never runs in it. */
    @ParameterizedTest(name = "reversible.aspect-order={0}")
    @CsvSource({
        "50, 'release o1: no transaction, orders=0'",
        "200, 'release o1: no transaction, orders=0'",
        "2147483647, 'release o1: no transaction, orders=0'" })
    void handlerRunsOutsideAnyTransactionWhereverTheAspectOrderPlacesTheSagaBoundary(int aspectOrder, String release) {
        runner.withUserConfiguration(TransactionAt100.class).withPropertyValues("reversible.aspect-order=" + aspectOrder).run(context -> {
            createTables(context.getBean(JdbcTemplate.class));

            catchThrowable(() -> context.getBean(OrderService.class).placeOrder("o1", new IllegalStateException("payment declined")));

            assertThat(context.getBean(Observations.class).lines).containsExactly("reserve o1: transaction active, orders=1", release);
            assertThat(orders(context.getBean(JdbcTemplate.class))).isZero();
        });
    }

    @Test
    void transactionalHandlerIsCalledThroughTheProxyAndCommitsItsOwnTransaction() {
        runner.run(context -> {
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            createTables(jdbc);

            catchThrowable(() -> context.getBean(OrderService.class).placeOrderWithAudit("o1", new IllegalStateException("declined")));

            assertThat(context.getBean(Observations.class).lines).containsExactly(
                    "audit o1: transaction active",
                    "unaudit o1: transaction active");
            assertThat(orders(jdbc)).isZero();
            assertThat(jdbc.queryForList("select entry from audit order by id", String.class)).containsExactly("unaudited o1");
        });
    }

    private static void createTables(JdbcTemplate jdbc) {
        jdbc.execute("create table orders (id varchar(20) primary key)");
        jdbc.execute("create table audit (id int auto_increment primary key, entry varchar(40))");
    }

    private static int orders(JdbcTemplate jdbc) {
        return jdbc.queryForObject("select count(*) from orders", Integer.class);
    }

    private static String transaction() {
        return TransactionSynchronizationManager.isActualTransactionActive() ? "transaction active" : "no transaction";
    }

    /** What the action and its handler saw. */
    static class Observations {

        final List<String> lines = new CopyOnWriteArrayList<>();
    }

    @Configuration(proxyBeanMethods = false)
    static class Config {

        @Bean
        Observations observations() {
            return new Observations();
        }

        @Bean
        Stock stock(JdbcTemplate jdbc, Observations observations) {
            return new Stock(jdbc, observations);
        }

        @Bean
        Audit audit(JdbcTemplate jdbc, Observations observations) {
            return new Audit(jdbc, observations);
        }

        @Bean
        OrderService orderService(JdbcTemplate jdbc, Stock stock, Audit audit) {
            return new OrderService(jdbc, stock, audit);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableTransactionManagement(order = 0)
    static class TransactionFirst {
    }

    @Configuration(proxyBeanMethods = false)
    @EnableTransactionManagement(order = 100)
    static class TransactionAt100 {
    }

    static class OrderService {

        private final JdbcTemplate jdbc;
        private final Stock stock;
        private final Audit audit;

        OrderService(JdbcTemplate jdbc, Stock stock, Audit audit) {
            this.jdbc = jdbc;
            this.stock = stock;
            this.audit = audit;
        }

        @ReversibleSaga
        @Transactional
        public void placeOrder(String order, RuntimeException failure) {
            jdbc.update("insert into orders (id) values (?)", order);
            stock.reserve(order);
            throw failure;
        }

        @ReversibleSaga
        @Transactional
        public void placeOrderWithAudit(String order, RuntimeException failure) {
            jdbc.update("insert into orders (id) values (?)", order);
            audit.audit(order);
            throw failure;
        }
    }

    static class Stock {

        private final JdbcTemplate jdbc;
        private final Observations observations;

        Stock(JdbcTemplate jdbc, Observations observations) {
            this.jdbc = jdbc;
            this.observations = observations;
        }

        @ReversibleAction
        public void reserve(String order) {
            observations.lines.add("reserve " + order + ": " + transaction() + ", orders=" + orders(jdbc));
        }

        @Compensate("reserve")
        public void release(String order) {
            observations.lines.add("release " + order + ": " + transaction() + ", orders=" + orders(jdbc));
        }
    }

    static class Audit {

        private final JdbcTemplate jdbc;
        private final Observations observations;

        Audit(JdbcTemplate jdbc, Observations observations) {
            this.jdbc = jdbc;
            this.observations = observations;
        }

        @ReversibleAction
        public void audit(String order) {
            observations.lines.add("audit " + order + ": " + transaction());
        }

        /** Runs after the saga's transaction rolled back, in a transaction of its own: the proxy applies it. */
        @Compensate("audit")
        @Transactional
        public void unaudit(String order) {
            observations.lines.add("unaudit " + order + ": " + transaction());
            jdbc.update("insert into audit (entry) values (?)", "unaudited " + order);
        }
    }
}
