/**
 * The aspect: an infrastructure advisor whose thin interceptor turns a call of an annotated method
 * into a core action — a saga boundary into a {@link dev.reversible.core.CompositeAction}, a step into a
 * {@link dev.reversible.core.SagaScope#run(dev.reversible.core.Action) scope.run} of a
 * {@link dev.reversible.spring.aop.StepAction} that carries its compensation as data. Ordering, rollback,
 * retry and events are the core's.
 */
package dev.reversible.spring.aop;
