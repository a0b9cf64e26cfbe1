package dev.reversible.demo.web;

import dev.reversible.demo.order.NewOrder;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * The JSON body of {@code POST /orders}. Checked field by field before anything runs; a violation is a
 * 400 naming the field.
 *
 * <pre>{@code
 * {"customer":"alice","sku":"BOOK-1","quantity":2,"country":"DE"}
 * }</pre>
 *
 * @param customer who pays (an existing account)
 * @param sku what they buy (an existing product)
 * @param quantity how many units, at least 1 (boxed, so that a missing quantity is told apart from 0)
 * @param country where it ships, as a two-letter code
 */
public record OrderRequest(
        @NotBlank String customer,
        @NotBlank String sku,
        @NotNull @Min(1) Integer quantity,
        @NotBlank @Pattern(regexp = "[A-Z]{2}", message = "must be a two-letter country code such as DE") String country) {

    NewOrder toNewOrder() {
        return new NewOrder(customer, sku, quantity, country);
    }
}
