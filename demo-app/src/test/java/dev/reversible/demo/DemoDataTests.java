package dev.reversible.demo;

import java.math.BigDecimal;
import java.nio.file.Path;

import dev.reversible.demo.order.NewOrder;
import dev.reversible.demo.order.OrderService;
import dev.reversible.demo.order.OrderStatus;
import dev.reversible.demo.order.PlacedOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo's data across restarts, on an H2 file database in a directory of the test's own (never
 * {@code ./data}): seeded on the first start only, kept by the next ones, seeded again with
 * {@code --demo.reset=true}.
 */
class DemoDataTests {

    @TempDir
    Path directory;

    /** The demo's own URL options, on a file of this test's own. */
    private String url() {
        return "jdbc:h2:file:" + directory.resolve("reversible-demo").toAbsolutePath() + ";WRITE_DELAY=0;LOCK_TIMEOUT=10000";
    }

    @Test
    void restartKeepsOrdersStockAndBalancesAndDoesNotSeedAgain() {
        try (RunningDemo demo = RunningDemo.start(url())) {
            assertThat(demo.stock("BOOK-1")).isEqualTo(10);
            assertThat(demo.postOrder("alice", "BOOK-1", 2, "DE").status()).isEqualTo(201);
        }
        try (RunningDemo demo = RunningDemo.start(url())) {
            assertThat(demo.stock("BOOK-1")).isEqualTo(8);
            assertThat(demo.balance("alice")).isEqualTo(new BigDecimal("75.00"));
            assertThat(demo.get("/orders/1").text("status")).isEqualTo("CONFIRMED");
            assertThat(demo.postOrder("alice", "BOOK-1", 1, "DE").body().get("orderId").longValue()).isEqualTo(2);
        }
    }

    @Test
    void resetDropsOrdersAndSeedsAgain() {
        try (RunningDemo demo = RunningDemo.start(url())) {
            assertThat(demo.postOrder("alice", "BOOK-1", 2, "DE").status()).isEqualTo(201);
        }
        try (RunningDemo demo = RunningDemo.start(url(), "--demo.reset=true")) {
            assertThat(demo.stock("BOOK-1")).isEqualTo(10);
            assertThat(demo.balance("alice")).isEqualTo(new BigDecimal("100.00"));
            assertThat(demo.get("/orders/1").status()).isEqualTo(404);
        }
    }

    /**
     * Spring's test context cache stops a context it puts aside and starts it again when a test needs it; the
     * journal must admit sagas again after such a restart (it refused every saga before the fix in
     * {@code JournalLifecycle.start()}).
     */
    @Test
    void demoStoppedAndStartedAgainStillPlacesOrders() {
        try (RunningDemo demo = RunningDemo.start(url())) {
            demo.context().stop();
            demo.context().start();

            // The web server may listen on another port now: the service is called directly.
            PlacedOrder placed = demo.context().getBean(OrderService.class).placeOrder(new NewOrder("alice", "BOOK-1", 2, "DE"));

            assertThat(placed.status()).isEqualTo(OrderStatus.CONFIRMED);
        }
    }
}
