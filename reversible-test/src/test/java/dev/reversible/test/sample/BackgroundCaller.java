package dev.reversible.test.sample;

import org.springframework.scheduling.annotation.Async;
import org.springframework.stereotype.Component;

/** A caller that places the order on a task executor's thread and returns at once: nobody waits for the saga. */
@Component
public class BackgroundCaller {

    private final Shop shop;

    BackgroundCaller(Shop shop) {
        this.shop = shop;
    }

    @Async
    public void placeOrder(String customer, String sku, int quantity) {
        shop.placeOrder(customer, sku, quantity);
    }
}
