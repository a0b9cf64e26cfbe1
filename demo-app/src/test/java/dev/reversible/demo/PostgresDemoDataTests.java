package dev.reversible.demo;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code postgres} profile keeps its data across restarts too: seeded only when empty, seeded again with
 * {@code --demo.reset=true} — in this test run's own schema ({@link RequirePostgres#schemaUrl()}), never the
 * user's tables; skipped, with the reason, when no server answers.
 */
@ExtendWith(RequirePostgres.class)
class PostgresDemoDataTests {

    @Test
    void restartOnPostgresKeepsOrdersStockAndBalancesAndResetSeedsAgain() {
        try (RunningDemo demo = RunningDemo.start(RequirePostgres.schemaUrl(), "--spring.profiles.active=postgres", "--demo.reset=true")) {
            assertThat(demo.stock("BOOK-1")).isEqualTo(10);
            assertThat(demo.postOrder("alice", "BOOK-1", 2, "DE").status()).isEqualTo(201);
        }
        try (RunningDemo demo = RunningDemo.start(RequirePostgres.schemaUrl(), "--spring.profiles.active=postgres")) {
            assertThat(demo.stock("BOOK-1")).isEqualTo(8);
            assertThat(demo.balance("alice")).isEqualTo(new BigDecimal("75.00"));
            assertThat(demo.get("/orders/1").text("status")).isEqualTo("CONFIRMED");
        }
        try (RunningDemo demo = RunningDemo.start(RequirePostgres.schemaUrl(), "--spring.profiles.active=postgres", "--demo.reset=true")) {
            assertThat(demo.stock("BOOK-1")).isEqualTo(10);
            assertThat(demo.get("/orders/1").status()).isEqualTo(404);
        }
    }
}
