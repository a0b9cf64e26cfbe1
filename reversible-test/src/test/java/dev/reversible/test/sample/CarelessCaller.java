package dev.reversible.test.sample;

import org.springframework.stereotype.Component;

/** A caller that replaces every failure of the saga with one of its own, losing the cause. */
@Component
public class CarelessCaller {

    private final Shop shop;

    CarelessCaller(Shop shop) {
        this.shop = shop;
    }

    public String placeOrder(String customer, String sku, int quantity) {
        try {
            return shop.placeOrder(customer, sku, quantity);
        }
        catch (RuntimeException e) {
            throw new IllegalStateException("Order failed");
        }
    }
}
