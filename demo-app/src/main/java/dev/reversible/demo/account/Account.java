package dev.reversible.demo.account;

import java.math.BigDecimal;

/**
 * A customer's account, as {@code GET /accounts/{customer}} shows it.
 *
 * @param customer the customer's id
 * @param balance what the customer can still spend
 */
public record Account(String customer, BigDecimal balance) {
}
