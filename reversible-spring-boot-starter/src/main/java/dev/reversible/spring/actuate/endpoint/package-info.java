/**
 * The {@code reversible} actuator endpoint: what was undone, what could not be. See
 * {@link dev.reversible.spring.actuate.endpoint.ReversibleEndpoint}.
 */
package dev.reversible.spring.actuate.endpoint;
