/**
 * Reads the annotations once, at start-up, into immutable specs — {@link dev.reversible.spring.metadata.SagaSpec},
 * {@link dev.reversible.spring.metadata.ActionSpec} with its bound
 * {@link dev.reversible.spring.metadata.CompensationHandler} — and refuses a misconfigured bean with a
 * message naming the bean, the method and the reason. The hot path only ever sees the specs.
 */
package dev.reversible.spring.metadata;
