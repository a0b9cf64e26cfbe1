package dev.reversible.test.sample;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.reversible.core.Reversible;
import dev.reversible.core.SagaExecutor;
import dev.reversible.spring.annotation.ReversibleSaga;

import org.springframework.stereotype.Component;

/** The saga, three ways: annotated, programmatic, and annotated behind a caller that loses the rollback's failure. */
@Component
public class Shop {

    private final Stock stock;
    private final Payments payments;
    private final Shipping shipping;
    private final SagaExecutor executor;

    Shop(Stock stock, Payments payments, Shipping shipping, SagaExecutor executor) {
        this.stock = stock;
        this.payments = payments;
        this.shipping = shipping;
        this.executor = executor;
    }

    /** The saga {@code Shop.placeOrder}: reserve, charge, book. */
    @ReversibleSaga
    public String placeOrder(String customer, String sku, int quantity) {
        stock.reserve(sku, quantity);
        payments.charge(customer, new BigDecimal("10").multiply(BigDecimal.valueOf(quantity)));
        return shipping.bookShipment(customer, sku);
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
        return state;
    }

    public void reset() {
        stock.reset();
        payments.reset();
        shipping.reset();
    }
}
