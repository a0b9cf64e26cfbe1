package dev.reversible.benchmarks.journal;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.reversible.spring.autoconfigure.ReversibleAutoConfiguration;
import dev.reversible.spring.autoconfigure.ReversibleJdbcAutoConfiguration;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.annotation.EnableTransactionManagement;

/**
 * The journal benchmarks' application: the order saga of {@link JournalShop} on a PostgreSQL schema of its
 * own, through a pool of 4 connections wrapped in a {@link CountingDataSource}, one transaction manager
 * (which the journal's writes go through, {@code REQUIRES_NEW}), and the starter's auto-configuration with
 * the journal on or off ({@code reversible.jdbc.enabled}). The journal's scheduler is kept out of the
 * measurement: heartbeats and recovery passes every hour only.
 */
@Configuration(proxyBeanMethods = false)
@EnableTransactionManagement(proxyTargetClass = true)
@ImportAutoConfiguration({ ReversibleAutoConfiguration.class, ReversibleJdbcAutoConfiguration.class })
public class JournalApplication {

    /**
     * @param schema where the tables go
     * @param journal whether the journal is on
     * @param name the instance's display name in the journal
     * @param properties more properties, {@code name=value}
     * @return a started application; close it when done
     */
    static ConfigurableApplicationContext start(PostgresSchema schema, boolean journal, String name, String... properties) {
        return new SpringApplicationBuilder(JournalApplication.class)
                .web(WebApplicationType.NONE)
                .logStartupInfo(false)
                .properties("spring.main.banner-mode=off", "logging.level.root=WARN",
                        "bench.url=" + schema.url(), "bench.user=" + schema.user,
                        "reversible.jdbc.enabled=" + journal, "reversible.jdbc.initialize-schema=always",
                        "reversible.jdbc.instance-name=" + name,
                        "reversible.jdbc.heartbeat-interval=1h", "reversible.jdbc.instance-timeout=2h")
                .properties(properties)
                .run();
    }

    /**
     * @param schema where the tables go
     * @param journal whether the journal is on
     * @param name the instance's display name in the journal
     * @param shape what the steps do and how they are recorded
     * @return a started application; close it when done
     */
    static ConfigurableApplicationContext start(PostgresSchema schema, boolean journal, String name, JournalShop.Shape shape) {
        return start(schema, journal, name, "bench.shape=" + shape);
    }

    @Bean
    CountingDataSource dataSource(org.springframework.core.env.Environment environment) {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(environment.getRequiredProperty("bench.url"));
        pool.setUsername(environment.getRequiredProperty("bench.user"));
        pool.setPassword("");
        pool.setMaximumPoolSize(4);
        pool.setMinimumIdle(4);
        return new CountingDataSource(pool);
    }

    @Bean
    JdbcTemplate jdbcTemplate(DataSource dataSource) {
        return new JdbcTemplate(dataSource);
    }

    @Bean
    JdbcTransactionManager transactionManager(DataSource dataSource) {
        return new JdbcTransactionManager(dataSource);
    }

    @Bean
    JournalShop.Stock stock(JdbcTemplate jdbcTemplate, org.springframework.core.env.Environment environment) {
        return (JournalShop.Stock) steps(jdbcTemplate, environment)[0];
    }

    @Bean
    JournalShop.Payments payments(JdbcTemplate jdbcTemplate, org.springframework.core.env.Environment environment) {
        return (JournalShop.Payments) steps(jdbcTemplate, environment)[1];
    }

    @Bean
    JournalShop.Shipping shipping(JdbcTemplate jdbcTemplate, org.springframework.core.env.Environment environment) {
        return (JournalShop.Shipping) steps(jdbcTemplate, environment)[2];
    }

    @Bean
    JournalShop.Orders orders(JournalShop.Stock stock, JournalShop.Payments payments, JournalShop.Shipping shipping) {
        return new JournalShop.Orders(stock, payments, shipping);
    }

    /** The steps of {@code bench.shape} (default: write-ahead). */
    private static Object[] steps(JdbcTemplate jdbcTemplate, org.springframework.core.env.Environment environment) {
        return JournalShop.steps(JournalShop.Shape.valueOf(environment.getProperty("bench.shape", "WRITE_AHEAD")), jdbcTemplate);
    }
}
