/**
 * A small shop for the kit's own tests: a saga placing an order in three actions on three beans
 * (reserve stock, charge the customer, book a shipment), its state in memory.
 */
package dev.reversible.test.sample;
