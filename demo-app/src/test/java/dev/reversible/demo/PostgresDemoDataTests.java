package dev.reversible.demo;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code postgres} profile keeps its data across restarts too: seeded only when empty, seeded again with
 * {@code --demo.reset=true}, which drops the demo's tables and no other — in this test run's own database ({@link RequirePostgres#databaseUrl()}), never the
 * user's tables; skipped, with the reason, when no server answers.
 */
@ExtendWith(RequirePostgres.class)
class PostgresDemoDataTests {

    @Test
    void restartOnPostgresKeepsOrdersStockAndBalancesAndResetSeedsAgain() {
        try (RunningDemo demo = RunningDemo.start(RequirePostgres.databaseUrl(), "--spring.profiles.active=postgres", "--demo.reset=true")) {
            assertThat(demo.stock("BOOK-1")).isEqualTo(10);
            assertThat(demo.postOrder("alice", "BOOK-1", 2, "DE").status()).isEqualTo(201);
        }
        try (RunningDemo demo = RunningDemo.start(RequirePostgres.databaseUrl(), "--spring.profiles.active=postgres")) {
            assertThat(demo.stock("BOOK-1")).isEqualTo(8);
            assertThat(demo.balance("alice")).isEqualTo(new BigDecimal("75.00"));
            assertThat(demo.get("/orders/1").text("status")).isEqualTo("CONFIRMED");
        }
        try (RunningDemo demo = RunningDemo.start(RequirePostgres.databaseUrl(), "--spring.profiles.active=postgres", "--demo.reset=true")) {
            assertThat(demo.stock("BOOK-1")).isEqualTo(10);
            assertThat(demo.get("/orders/1").status()).isEqualTo(404);
        }
    }

    @Test
    void resetDropsTheDemosTablesAndForgetsTheJournalsSagasButLeavesEveryOtherTable() {
        try (RunningDemo demo = RunningDemo.start(RequirePostgres.databaseUrl(), "--spring.profiles.active=postgres", "--demo.reset=true")) {
            JdbcClient jdbc = demo.context().getBean(JdbcClient.class);
            jdbc.sql("DROP TABLE IF EXISTS users_own_table").update();
            jdbc.sql("CREATE TABLE users_own_table (note VARCHAR(32))").update();
            jdbc.sql("INSERT INTO users_own_table (note) VALUES ('still here')").update();
            assertThat(demo.postOrder("alice", "BOOK-1", 1, "AQ").status()).isEqualTo(502);
            assertThat(jdbc.sql("SELECT COUNT(*) FROM reversible_sagas").query(Long.class).single()).isEqualTo(1);
        }
        try (RunningDemo demo = RunningDemo.start(RequirePostgres.databaseUrl(), "--spring.profiles.active=postgres", "--demo.reset=true")) {
            JdbcClient jdbc = demo.context().getBean(JdbcClient.class);
            assertThat(jdbc.sql("SELECT note FROM users_own_table").query(String.class).list()).containsExactly("still here");
            assertThat(jdbc.sql("SELECT COUNT(*) FROM orders").query(Long.class).single()).isZero();
            assertThat(jdbc.sql("SELECT COUNT(*) FROM reversible_sagas").query(Long.class).single()).isZero();
            assertThat(jdbc.sql("SELECT COUNT(*) FROM reversible_steps").query(Long.class).single()).isZero();
            assertThat(jdbc.sql("SELECT COUNT(*) FROM reversible_compensations").query(Long.class).single()).isZero();
            assertThat(demo.stock("BOOK-1")).isEqualTo(10);
            jdbc.sql("DROP TABLE users_own_table").update();
        }
    }
}
