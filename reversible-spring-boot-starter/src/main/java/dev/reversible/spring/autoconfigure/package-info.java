/**
 * Auto-configuration: {@link dev.reversible.spring.autoconfigure.ReversibleAutoConfiguration} (executor,
 * aspect, statistics, logging), {@link dev.reversible.spring.autoconfigure.ReversibleMetricsAutoConfiguration}
 * and {@link dev.reversible.spring.autoconfigure.ReversibleEndpointAutoConfiguration}, configured by
 * {@link dev.reversible.spring.autoconfigure.ReversibleProperties} ({@code reversible.*}).
 */
package dev.reversible.spring.autoconfigure;
