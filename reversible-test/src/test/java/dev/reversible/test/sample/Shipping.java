package dev.reversible.test.sample;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.reversible.spring.annotation.Compensate;
import dev.reversible.spring.annotation.ReversibleAction;

import org.springframework.stereotype.Component;

/**
 * Shipments: the last step, {@code book}, named explicitly; and {@code bookLater}, the same booking done by
 * the carrier's own thread (an asynchronous action: its future completes there).
 */
@Component
public class Shipping {

    private final Set<String> shipments = new TreeSet<>();
    private final ExecutorService carrier = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "carrier");
        thread.setDaemon(true);
        return thread;
    });
    private int next;

    public synchronized void reset() {
        shipments.clear();
        next = 0;
    }

    public synchronized List<String> shipments() {
        return List.copyOf(shipments);
    }

    @ReversibleAction("book")
    public String bookShipment(String customer, String sku) {
        return add();
    }

    @ReversibleAction("bookLater")
    public CompletableFuture<String> bookShipmentLater(String customer, String sku) {
        return CompletableFuture.supplyAsync(this::add, carrier);
    }

    @Compensate("bookLater")
    public synchronized void cancelLater(String customer, String sku, String id) {
        if (id != null) {
            shipments.remove(id);
        }
    }

    private synchronized String add() {
        String id = "SHIP-" + (++next);
        shipments.add(id);
        return id;
    }

    @Compensate("book")
    public synchronized void cancel(String customer, String sku, String id) {
        if (id != null) {
            shipments.remove(id);
        }
    }
}
