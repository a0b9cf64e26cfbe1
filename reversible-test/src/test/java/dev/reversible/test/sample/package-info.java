/**
 * A small shop for the kit's own tests: a saga placing an order in three actions on three beans
 * (reserve stock, charge the customer, book a shipment), its state in memory; and its variants: a gift
 * order whose wrapping charges a fee (a nested step), an asynchronous order, callers in the background.
 */
package dev.reversible.test.sample;
