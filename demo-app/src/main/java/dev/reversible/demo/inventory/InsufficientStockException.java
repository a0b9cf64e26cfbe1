package dev.reversible.demo.inventory;

/** Thrown by the {@code reserveStock} step when fewer units are in stock than the order asks for. */
public class InsufficientStockException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String sku;

    /**
     * @param sku the product
     * @param requested units the order asked for
     * @param available units in stock when the reservation was refused
     */
    public InsufficientStockException(String sku, int requested, int available) {
        super("Not enough " + sku + " in stock: " + requested + " requested, " + available + " available");
        this.sku = sku;
    }

    /** @return the product that ran short */
    public String sku() {
        return sku;
    }
}
