package dev.reversible.test.sample;

import java.math.BigDecimal;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import dev.reversible.spring.annotation.Compensate;
import dev.reversible.spring.annotation.ReversibleAction;

import org.springframework.stereotype.Component;

/** Gift wrapping: the action {@code wrap} charges a fee through {@link Payments#charge}, a step of its own — wrap's child (rule 14). */
@Component
public class Gifts {

    private final Payments payments;
    private final Set<String> wrapped = new TreeSet<>();
    private int next;

    Gifts(Payments payments) {
        this.payments = payments;
    }

    public synchronized void reset() {
        wrapped.clear();
        next = 0;
    }

    public synchronized List<String> wrapped() {
        return List.copyOf(wrapped);
    }

    @ReversibleAction
    public String wrap(String customer, String sku) {
        payments.charge(customer, new BigDecimal("2"));
        synchronized (this) {
            String id = "WRAP-" + (++next);
            wrapped.add(id);
            return id;
        }
    }

    @Compensate("wrap")
    public synchronized void unwrap(String customer, String sku, String id) {
        if (id != null) {
            wrapped.remove(id);
        }
    }
}
