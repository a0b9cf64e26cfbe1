package dev.reversible.demo.account;

/** Thrown by the refund compensation while the chaos switch {@code demo.chaos.fail-refund} is on. */
public class RefundFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message what could not be refunded */
    public RefundFailedException(String message) {
        super(message);
    }
}
