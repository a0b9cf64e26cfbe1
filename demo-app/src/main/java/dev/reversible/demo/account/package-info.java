/** Customer balances: the saga's {@code chargeAccount} step and its {@code refund} compensation. */
package dev.reversible.demo.account;
