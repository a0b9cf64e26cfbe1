package dev.reversible.demo.shipping;

/** Thrown by the {@code bookShipment} step when the carrier does not deliver to the order's country. */
public class ShipmentRefusedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String country;

    /** @param country the country the carrier refused */
    public ShipmentRefusedException(String country) {
        super("The carrier does not deliver to " + country);
        this.country = country;
    }

    /** @return the refused country */
    public String country() {
        return country;
    }
}
