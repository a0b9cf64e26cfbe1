/**
 * What the compensation handlers did, per order: their idempotency record and the source of the
 * compensated steps an error response lists.
 */
package dev.reversible.demo.compensation;
