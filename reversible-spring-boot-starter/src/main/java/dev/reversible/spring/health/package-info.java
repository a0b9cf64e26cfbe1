/**
 * The {@code reversible} health contributor: the journal's stuck sagas; see
 * {@link dev.reversible.spring.health.ReversibleHealthIndicator}.
 */
package dev.reversible.spring.health;
