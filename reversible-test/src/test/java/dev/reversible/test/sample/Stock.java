package dev.reversible.test.sample;

import java.util.Map;
import java.util.TreeMap;

import dev.reversible.spring.CompensationContext;
import dev.reversible.spring.annotation.Compensate;
import dev.reversible.spring.annotation.ReversibleAction;

import org.springframework.stereotype.Component;

/** Units in stock: the first step, {@code reserve}; its handler takes a {@link CompensationContext}. */
@Component
public class Stock {

    private final Map<String, Integer> units = new TreeMap<>();

    /** Restores the initial stock. */
    public synchronized void reset() {
        units.clear();
        units.put("BOOK", 10);
    }

    public synchronized Map<String, Integer> units() {
        return new TreeMap<>(units);
    }

    @ReversibleAction
    public synchronized void reserve(String sku, int quantity) {
        units.merge(sku, -quantity, Integer::sum);
    }

    @Compensate("reserve")
    public synchronized void release(String sku, int quantity, CompensationContext context) {
        if (context.failure() == null) {
            units.merge(sku, quantity, Integer::sum);
        }
    }
}
