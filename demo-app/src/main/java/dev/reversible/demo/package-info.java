/**
 * The order-placement demo of the reversible starter. {@link dev.reversible.demo.order} runs the saga and holds
 * its first and last steps, the order's own record; {@link dev.reversible.demo.inventory},
 * {@link dev.reversible.demo.account} and {@link dev.reversible.demo.shipping} hold the steps between and their
 * compensations;
 * {@link dev.reversible.demo.compensation} records what each compensation did; {@link dev.reversible.demo.web}
 * is the REST API.
 */
package dev.reversible.demo;
