package dev.reversible.demo;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sixty orders at once, failing at each of the three steps between the order's creation and its confirmation:
 * the conditional updates and the compensations leave every unit of stock and every cent accounted for, and the
 * endpoint counts exactly the outcomes the clients saw.
 */
class ConcurrentOrdersTests extends HttpTestSupport {

    private static final Map<String, Integer> SEEDED_STOCK = Map.of("BOOK-1", 10, "LAMP-2", 3);
    private static final Map<String, BigDecimal> SEEDED_BALANCE = Map.of("alice", new BigDecimal("100.00"), "bob", new BigDecimal("20.00"));

    private record Attempt(String group, String customer, String sku, int quantity, String country) {
    }

    private record Outcome(Attempt attempt, Reply reply) {
    }

    @Test
    void concurrentMixedOrdersAccountForEveryUnitAndEveryCent() throws Exception {
        // Chosen so that some outcomes are certain whatever the interleaving:
        // - at most 10 units of BOOK-1 are ever reserved (6 + 4 orders of 1), so its orders never run short;
        // - only alice's BOOK-1 orders ever charge alice: 6 x 12.50 = 75.00 <= 100.00, so all six are confirmed;
        // - bob can never pay for a lamp (40.00 > 20.00), and the first bob order charged at 12.50 always gets through;
        // - orders for more than is in stock can never reserve anything.
        List<Attempt> attempts = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            attempts.add(new Attempt("confirmed", "alice", "BOOK-1", 1, "DE"));
        }
        for (int i = 0; i < 4; i++) {
            attempts.add(new Attempt("shipmentRefused", "bob", "BOOK-1", 1, "AQ"));
        }
        for (int i = 0; i < 20; i++) {
            attempts.add(new Attempt("lampForBob", "bob", "LAMP-2", 1, "DE"));
        }
        for (int i = 0; i < 20; i++) {
            attempts.add(new Attempt("tooManyBooks", "alice", "BOOK-1", 11, "DE"));
        }
        for (int i = 0; i < 10; i++) {
            attempts.add(new Attempt("tooManyLamps", "bob", "LAMP-2", 4, "DE"));
        }
        Collections.shuffle(attempts, new Random(42));
        Totals before = totals();
        long reserveFailedBefore = actionCount("reserveStock", "failed");
        long chargeFailedBefore = actionCount("chargeAccount", "failed");
        long shipmentFailedBefore = actionCount("bookShipment", "failed");

        List<Outcome> outcomes = placeAllAtOnce(attempts, 8);

        Map<String, List<Integer>> statusesByGroup = new HashMap<>();
        Map<Integer, Integer> countByStatus = new HashMap<>();
        for (Outcome outcome : outcomes) {
            statusesByGroup.computeIfAbsent(outcome.attempt().group(), g -> new ArrayList<>()).add(outcome.reply().status());
            countByStatus.merge(outcome.reply().status(), 1, Integer::sum);
        }
        assertThat(statusesByGroup.get("confirmed")).containsOnly(201).hasSize(6);
        assertThat(statusesByGroup.get("tooManyBooks")).containsOnly(409).hasSize(20);
        assertThat(statusesByGroup.get("tooManyLamps")).containsOnly(409).hasSize(10);
        assertThat(statusesByGroup.get("shipmentRefused")).hasSize(4).isSubsetOf(502, 402).contains(502);
        assertThat(statusesByGroup.get("lampForBob")).hasSize(20).isSubsetOf(402, 409).contains(402);
        assertThat(countByStatus.keySet()).containsExactlyInAnyOrder(201, 402, 409, 502);

        // Every unit and every cent: what is left plus what confirmed orders took is what was seeded.
        Map<String, Integer> confirmedQuantity = new HashMap<>();
        Map<String, BigDecimal> confirmedAmount = new HashMap<>();
        for (Outcome outcome : outcomes) {
            if (outcome.reply().status() == 201) {
                confirmedQuantity.merge(outcome.attempt().sku(), outcome.attempt().quantity(), Integer::sum);
                confirmedAmount.merge(outcome.attempt().customer(), outcome.reply().body().get("amount").decimalValue(), BigDecimal::add);
            }
        }
        SEEDED_STOCK.forEach((sku, seeded) -> assertThat(stock(sku) + confirmedQuantity.getOrDefault(sku, 0)).as(sku).isEqualTo(seeded));
        SEEDED_BALANCE.forEach((customer, seeded) -> assertThat(balance(customer).add(confirmedAmount.getOrDefault(customer, BigDecimal.ZERO)))
                .as(customer).isEqualByComparingTo(seeded));
        assertThat(stock("BOOK-1")).isEqualTo(4);
        assertThat(stock("LAMP-2")).isEqualTo(3);
        assertThat(balance("alice")).isEqualTo(new BigDecimal("25.00"));
        assertThat(balance("bob")).isEqualTo(new BigDecimal("20.00"));

        // The database agrees with what the clients saw.
        assertThat(statusCount("CONFIRMED")).isEqualTo(countByStatus.get(201));
        assertThat(statusCount("CANCELLED")).isEqualTo(outcomes.size() - countByStatus.get(201));
        assertThat(statusCount("PENDING")).isZero();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM shipments WHERE status = 'BOOKED'").query(Integer.class).single()).isEqualTo(countByStatus.get(201));

        // So does the endpoint: one saga per order, each counted by how it ended, each failure at its step.
        long confirmed = countByStatus.get(201);
        assertThat(totals().minus(before)).isEqualTo(new Totals(60, confirmed, 60 - confirmed, 0, 0, 0));
        assertThat(actionCount("reserveStock", "failed") - reserveFailedBefore).isEqualTo((long) countByStatus.get(409));
        assertThat(actionCount("chargeAccount", "failed") - chargeFailedBefore).isEqualTo((long) countByStatus.get(402));
        assertThat(actionCount("bookShipment", "failed") - shipmentFailedBefore).isEqualTo((long) countByStatus.get(502));
    }

    /** Starts every order together behind a latch, on a bounded pool, and waits (boundedly) for all of them. */
    private List<Outcome> placeAllAtOnce(List<Attempt> attempts, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Outcome>> futures = new ArrayList<>();
            for (Attempt attempt : attempts) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return new Outcome(attempt, postOrder(attempt.customer(), attempt.sku(), attempt.quantity(), attempt.country()));
                }));
            }
            start.countDown();
            List<Outcome> outcomes = new ArrayList<>();
            for (Future<Outcome> future : futures) {
                outcomes.add(future.get(60, TimeUnit.SECONDS));
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }

    private int statusCount(String status) {
        return jdbc.sql("SELECT COUNT(*) FROM orders WHERE status = ?").param(status).query(Integer.class).single();
    }
}
