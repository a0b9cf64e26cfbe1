/**
 * The order-placement demo of the reversible starter. {@link dev.reversible.demo.order} runs the saga;
 * {@link dev.reversible.demo.inventory}, {@link dev.reversible.demo.account} and
 * {@link dev.reversible.demo.shipping} hold its three steps and their compensations;
 * {@link dev.reversible.demo.compensation} records what each compensation did; {@link dev.reversible.demo.web}
 * is the REST API.
 */
package dev.reversible.demo;
