/**
 * The one statistics object: {@link dev.reversible.spring.statistics.SagaStatistics} listens to the core
 * executor and counts sagas, steps and compensations. The Micrometer meters and the actuator endpoint
 * both read it, so they can never disagree.
 */
package dev.reversible.spring.statistics;
