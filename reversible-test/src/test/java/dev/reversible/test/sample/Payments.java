package dev.reversible.test.sample;

import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;

import dev.reversible.spring.annotation.Compensate;
import dev.reversible.spring.annotation.ReversibleAction;

import org.springframework.stereotype.Component;

/**
 * Balances: the second step, {@code charge}; its handler takes no {@code CompensationContext}. A switch
 * breaks the refund on purpose: it then gives back one unit less than was charged.
 */
@Component
public class Payments {

    private final Map<String, BigDecimal> balances = new TreeMap<>();
    private volatile boolean refundShort;

    /** Restores the initial balances and a correct refund. */
    public synchronized void reset() {
        balances.clear();
        balances.put("alice", new BigDecimal("100"));
        refundShort = false;
    }

    /** Breaks the refund: it gives back one unit less than was charged. */
    public void breakRefund() {
        refundShort = true;
    }

    public synchronized Map<String, BigDecimal> balances() {
        return new TreeMap<>(balances);
    }

    @ReversibleAction
    public synchronized BigDecimal charge(String customer, BigDecimal amount) {
        balances.merge(customer, amount.negate(), BigDecimal::add);
        return amount;
    }

    @Compensate("charge")
    public synchronized void refund(String customer, BigDecimal amount, BigDecimal charged) {
        if (charged != null) {
            balances.merge(customer, refundShort ? charged.subtract(BigDecimal.ONE) : charged, BigDecimal::add);
        }
    }
}
