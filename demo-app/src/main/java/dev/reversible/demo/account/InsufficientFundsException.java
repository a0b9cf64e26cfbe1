package dev.reversible.demo.account;

import java.math.BigDecimal;

/** Thrown by the {@code chargeAccount} step when the customer's balance does not cover the order. */
public class InsufficientFundsException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String customer;

    /**
     * @param customer the customer
     * @param amount what the order costs
     * @param balance the balance when the charge was refused
     */
    public InsufficientFundsException(String customer, BigDecimal amount, BigDecimal balance) {
        super("Balance of " + customer + " is " + balance.toPlainString() + ", the order costs " + amount.toPlainString());
        this.customer = customer;
    }

    /** @return the customer whose balance was too low */
    public String customer() {
        return customer;
    }
}
