/**
 * What a running saga shows to tracing and logging: a Micrometer {@code Observation} per outermost saga, step
 * and compensation ({@link dev.reversible.spring.observation.SagaObservationListener}, with a replaceable
 * {@code ObservationConvention} per kind), and the saga's id and name in the logging MDC
 * ({@link dev.reversible.spring.observation.SagaMdcListener}). Both are {@code SagaListener}s fed by the
 * executor's events.
 */
package dev.reversible.spring.observation;
