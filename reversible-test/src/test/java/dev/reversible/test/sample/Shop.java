package dev.reversible.test.sample;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.reversible.core.Reversible;
import dev.reversible.core.SagaExecutor;
import dev.reversible.spring.annotation.ReversibleSaga;

import org.springframework.stereotype.Component;

/**
 * The saga, several ways: annotated, programmatic, asynchronous, with a nested step (a gift's wrapping charges
 * a fee), and annotated behind callers that lose the rollback's failure or do not wait for the saga.
 */
@Component
public class Shop {

    private final Stock stock;
    private final Payments payments;
    private final Shipping shipping;
    private final Gifts gifts;
    private final SagaExecutor executor;

    Shop(Stock stock, Payments payments, Shipping shipping, Gifts gifts, SagaExecutor executor) {
        this.stock = stock;
        this.payments = payments;
        this.shipping = shipping;
        this.gifts = gifts;
        this.executor = executor;
    }

    /** The saga {@code Shop.placeOrder}: reserve, charge, book. */
    @ReversibleSaga
    public String placeOrder(String customer, String sku, int quantity) {
        stock.reserve(sku, quantity);
        payments.charge(customer, new BigDecimal("10").multiply(BigDecimal.valueOf(quantity)));
        return shipping.bookShipment(customer, sku);
    }

    /** The saga {@code Shop.placeGiftOrder}: reserve, wrap (whose forwards charges the fee: charge, its child), book. */
    @ReversibleSaga
    public String placeGiftOrder(String customer, String sku, int quantity) {
        stock.reserve(sku, quantity);
        gifts.wrap(customer, sku);
        return shipping.bookShipment(customer, sku);
    }

    /** The asynchronous saga {@code Shop.placeOrderAsync}: reserve, charge, then the carrier books on its own thread. */
    @ReversibleSaga
    public CompletableFuture<String> placeOrderAsync(String customer, String sku, int quantity) {
        stock.reserve(sku, quantity);
        payments.charge(customer, new BigDecimal("10").multiply(BigDecimal.valueOf(quantity)));
        return shipping.bookShipmentLater(customer, sku);
    }

    /** The same steps as a programmatic saga on the starter's executor. */
    public String placeOrderProgrammatically(String customer, String sku, int quantity) throws Exception {
        return executor.execute(Reversible.gen(saga -> {
            stock.reserve(sku, quantity);
            payments.charge(customer, new BigDecimal("10").multiply(BigDecimal.valueOf(quantity)));
            return shipping.bookShipment(customer, sku);
        }));
    }

    /** Everything the saga changes. */
    public Map<String, Object> state() {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("stock", stock.units());
        state.put("balances", payments.balances());
        state.put("shipments", shipping.shipments());
        state.put("wrapped", gifts.wrapped());
        return state;
    }

    public void reset() {
        stock.reset();
        payments.reset();
        shipping.reset();
        gifts.reset();
    }
}
