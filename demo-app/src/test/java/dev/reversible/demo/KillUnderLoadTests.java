package dev.reversible.demo;

import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two demo instances on one PostgreSQL database take mixed orders from 16 client threads; one of them, a child JVM,
 * is killed with SIGKILL in the middle of the load — at a marker line (its 30th stock reservation), never after a
 * sleep. The survivor recovers what the dead one left running. Afterwards nothing is half-done: every order is
 * {@code CONFIRMED} or {@code CANCELLED}, stock and balances are exactly what the confirmed orders took, every order a
 * client saw confirmed is confirmed and every one it saw fail is cancelled, and no saga is left {@code RUNNING},
 * {@code COMPENSATING} or {@code STUCK}. Skipped, with the reason, when no PostgreSQL server answers.
 */
@ExtendWith(RequirePostgres.class)
class KillUnderLoadTests {

    private static final Map<String, Integer> STOCK = Map.of("BOOK-1", 200, "LAMP-2", 30);
    private static final Map<String, BigDecimal> PRICE = Map.of("BOOK-1", new BigDecimal("12.50"), "LAMP-2", new BigDecimal("40.00"));
    private static final Map<String, BigDecimal> BALANCE = Map.of("alice", new BigDecimal("2000.00"), "bob", new BigDecimal("300.00"));

    private static final int THREADS = 16;
    private static final int ORDERS_PER_THREAD = 20;
    /** The victim's stock reservations before it is killed: well inside its share of the load (about 160 orders). */
    private static final int RESERVATIONS_BEFORE_THE_KILL = 30;

    /** A database of this test's own: the other PostgreSQL tests reset theirs between tests. */
    private static final String DATABASE = RequirePostgres.DATABASE + "_load";

    @TempDir
    Path workingDirectory;

    private ChildDemo victim;
    private RunningDemo survivor;

    @AfterEach
    void stopBothAndDropTheDatabase() throws SQLException {
        if (victim != null) {
            victim.close();
        }
        if (survivor != null) {
            survivor.close();
        }
        try (Connection admin = DriverManager.getConnection(RequirePostgres.SERVER + "postgres", "postgres", "");
                Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
        }
    }

    private record Order(String customer, String sku, int quantity, String country) {

        String json() {
            return "{\"customer\":\"" + customer + "\",\"sku\":\"" + sku + "\",\"quantity\":" + quantity + ",\"country\":\"" + country + "\"}";
        }
    }

    /** What a client saw: a reply (status, and the order's id when there is one), or none at all. */
    private record Outcome(Order order, boolean answered, boolean rerouted, int status, Long orderId) {
    }

    @Test
    void instanceKilledUnderLoadLeavesEveryOrderConfirmedOrCancelledWithStockAndMoneyMatchingTheConfirmedOrders() throws Exception {
        String url = RequirePostgres.SERVER + DATABASE;
        // A dead instance is recognised 3 s after its last heartbeat, on the database's clock.
        String[] instance = { "--spring.profiles.active=postgres", "--reversible.jdbc.heartbeat-interval=500ms",
                "--reversible.jdbc.instance-timeout=3s" };
        survivor = RunningDemo.start(url, concat(instance, "--demo.reset=true", "--logging.level.dev.reversible.demo=WARN"));
        JdbcClient jdbc = survivor.context().getBean(JdbcClient.class);
        STOCK.forEach((sku, stock) -> jdbc.sql("UPDATE inventory SET stock = ? WHERE sku = ?").params(stock, sku).update());
        BALANCE.forEach((customer, balance) -> jdbc.sql("UPDATE accounts SET balance = ? WHERE customer = ?").params(balance, customer).update());

        CountDownLatch reservations = new CountDownLatch(RESERVATIONS_BEFORE_THE_KILL);
        victim = ChildDemo.start(workingDirectory, line -> {
            if (line.contains("InventoryService") && line.contains(": Reserved ")) {
                reservations.countDown();
            }
        }, concat(instance, "--spring.datasource.url=" + url));
        String victimBase = "http://localhost:" + victim.port();
        String survivorBase = "http://localhost:" + survivor.context().getEnvironment().getProperty("local.server.port");

        List<Outcome> outcomes = new ArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(THREADS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<Outcome>>> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                // Half the clients talk to the victim, half to the survivor; the victim's go to the survivor once it refuses them.
                String base = t % 2 == 0 ? victimBase : survivorBase;
                int thread = t;
                threads.add(clients.submit(() -> {
                    start.await();
                    List<Outcome> mine = new ArrayList<>();
                    for (int i = 0; i < ORDERS_PER_THREAD; i++) {
                        mine.add(place(mix(thread + i), base, survivorBase));
                    }
                    return mine;
                }));
            }
            start.countDown();
            assertThat(reservations.await(180, TimeUnit.SECONDS)).as("the victim reserved stock %d times", RESERVATIONS_BEFORE_THE_KILL).isTrue();
            victim.kill();
            for (Future<List<Outcome>> thread : threads) {
                outcomes.addAll(thread.get(300, TimeUnit.SECONDS));
            }
        } finally {
            clients.shutdownNow();
        }

        // The survivor claims the victim's sagas once its heartbeat is 3 s old, and compensates them.
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(
                jdbc.sql("SELECT COUNT(*) FROM reversible_sagas WHERE status IN ('RUNNING', 'COMPENSATING')").query(Long.class).single())
                .isZero());

        assertThat(outcomes).hasSize(THREADS * ORDERS_PER_THREAD);
        assertThat(outcomes).as("the load went on after the kill: the victim's clients were sent to the survivor")
                .anyMatch(Outcome::rerouted);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM reversible_sagas WHERE status IN ('RUNNING', 'COMPENSATING', 'STUCK')")
                .query(Long.class).single()).isZero();
        long recovered = jdbc.sql("SELECT COUNT(*) FROM reversible_sagas WHERE recovered").query(Long.class).single();
        assertThat(recovered).as("the victim died with sagas in flight (the marker's own among them), and the survivor recovered them")
                .isPositive();
        assertThat(jdbc.sql("SELECT DISTINCT status FROM orders").query(String.class).set()).isSubsetOf("CONFIRMED", "CANCELLED");

        Set<Long> confirmed = new HashSet<>(jdbc.sql("SELECT id FROM orders WHERE status = 'CONFIRMED'").query(Long.class).list());
        Set<Long> cancelled = new HashSet<>(jdbc.sql("SELECT id FROM orders WHERE status = 'CANCELLED'").query(Long.class).list());
        // A saga reported complete is never undone; one reported failed was compensated.
        for (Outcome outcome : outcomes) {
            if (outcome.answered() && outcome.status() == 201) {
                assertThat(confirmed).as("order %d, answered 201", outcome.orderId()).contains(outcome.orderId());
            } else if (outcome.answered() && outcome.orderId() != null) {
                assertThat(cancelled).as("order %d, answered %d", outcome.orderId(), outcome.status()).contains(outcome.orderId());
            }
        }

        // Every unit and every cent: what is left plus what the confirmed orders took is what there was.
        Map<String, Integer> taken = new TreeMap<>();
        Map<String, BigDecimal> paid = new TreeMap<>();
        jdbc.sql("SELECT sku, quantity, customer, amount FROM orders WHERE status = 'CONFIRMED'").query(rs -> {
            String sku = rs.getString("sku");
            int quantity = rs.getInt("quantity");
            BigDecimal amount = rs.getBigDecimal("amount");
            assertThat(amount).isEqualByComparingTo(PRICE.get(sku).multiply(BigDecimal.valueOf(quantity)));
            taken.merge(sku, quantity, Integer::sum);
            paid.merge(rs.getString("customer"), amount, BigDecimal::add);
        });
        STOCK.forEach((sku, stock) -> assertThat(jdbc.sql("SELECT stock FROM inventory WHERE sku = ?").param(sku).query(Integer.class).single()
                + taken.getOrDefault(sku, 0)).as(sku).isEqualTo(stock));
        BALANCE.forEach((customer, balance) -> assertThat(jdbc.sql("SELECT balance FROM accounts WHERE customer = ?").param(customer)
                .query(BigDecimal.class).single().add(paid.getOrDefault(customer, BigDecimal.ZERO))).as(customer).isEqualByComparingTo(balance));
        // And each step's own record agrees: reserved, charged and booked exactly for the confirmed orders.
        assertThat(ids(jdbc, "SELECT order_id FROM stock_reservations WHERE status = 'RESERVED'")).isEqualTo(confirmed);
        assertThat(ids(jdbc, "SELECT order_id FROM account_charges WHERE status = 'CHARGED'")).isEqualTo(confirmed);
        assertThat(ids(jdbc, "SELECT order_id FROM shipments WHERE status = 'BOOKED'")).isEqualTo(confirmed);

        Map<String, Long> seen = new TreeMap<>();
        outcomes.forEach(o -> seen.merge(!o.answered() ? "no answer" : o.rerouted() ? o.status() + " rerouted" : String.valueOf(o.status()), 1L, Long::sum));
        System.out.printf("Killed under load: %d orders confirmed, %d cancelled, %d sagas recovered; clients saw %s%n", confirmed.size(),
                cancelled.size(), recovered, seen);
    }

    /** Orders that end every way: confirmed, refused by the carrier, short of money (bob), short of lamps. */
    private static Order mix(int i) {
        return switch (i % 5) {
            case 0 -> new Order("alice", "BOOK-1", 1, "DE");
            case 1 -> new Order("bob", "LAMP-2", 1, "DE");
            case 2 -> new Order("alice", "BOOK-1", 2, "AQ");
            case 3 -> new Order("alice", "LAMP-2", 4, "DE");
            default -> new Order("bob", "BOOK-1", 1, "DE");
        };
    }

    /**
     * Places an order as a load balancer would: a refused connection (the victim is gone) was never received, so it
     * goes to the survivor; a request the victim took and never answered is not sent again.
     */
    private static Outcome place(Order order, String base, String fallback) {
        try {
            return outcome(order, false, RunningDemo.send(request(base, order)));
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof ConnectException && !base.equals(fallback)) {
                return outcome(order, true, RunningDemo.send(request(fallback, order)));
            }
            return new Outcome(order, false, false, 0, null);
        }
    }

    private static Outcome outcome(Order order, boolean rerouted, RunningDemo.Reply reply) {
        Long orderId = reply.body().has("orderId") ? reply.body().get("orderId").longValue() : null;
        return new Outcome(order, true, rerouted, reply.status(), orderId);
    }

    private static HttpRequest.Builder request(String base, Order order) {
        return HttpRequest.newBuilder(URI.create(base + "/orders")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(order.json()));
    }

    private static Set<Long> ids(JdbcClient jdbc, String sql) {
        return new HashSet<>(jdbc.sql(sql).query(Long.class).list());
    }

    private static String[] concat(String[] first, String... more) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }
}
