/**
 * Micrometer meters over {@link dev.reversible.spring.statistics.SagaStatistics}; see
 * {@link dev.reversible.spring.metrics.ReversibleMetrics} for the names and tags.
 */
package dev.reversible.spring.metrics;
