package dev.reversible.test.sample;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import dev.reversible.spring.annotation.Compensate;
import dev.reversible.spring.annotation.ReversibleAction;

import org.springframework.stereotype.Component;

/** Shipments: the last step, {@code book}, named explicitly. */
@Component
public class Shipping {

    private final Set<String> shipments = new TreeSet<>();
    private int next;

    public synchronized void reset() {
        shipments.clear();
        next = 0;
    }

    public synchronized List<String> shipments() {
        return List.copyOf(shipments);
    }

    @ReversibleAction("book")
    public synchronized String bookShipment(String customer, String sku) {
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
