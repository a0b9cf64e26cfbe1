/**
 * Reads the annotations once, at start-up, into immutable specs — {@link dev.reversible.spring.metadata.SagaSpec},
 * {@link dev.reversible.spring.metadata.ActionSpec} with its bound
 * {@link dev.reversible.spring.metadata.CompensationHandler} — and refuses a misconfigured bean with a
 * message naming the bean, the method and the reason. The hot path only ever sees the specs.
 * <p>
 * One job per class: a parser reads a class's annotations, a binder ties each handler to its action,
 * {@link dev.reversible.spring.metadata.ReversibleOperationSource} caches the result per class,
 * {@link dev.reversible.spring.metadata.ReversibleBeanValidator} inspects every bean as it is created, and
 * {@link dev.reversible.spring.metadata.SagaBeanRegistry} names the singleton beans that hold actions.
 */
package dev.reversible.spring.metadata;
