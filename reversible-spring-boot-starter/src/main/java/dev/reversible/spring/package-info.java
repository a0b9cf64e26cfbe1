/**
 * Spring Boot integration of {@code reversible}. Where things are:
 * <ul>
 * <li>{@code annotation} — {@code @ReversibleSaga}, {@code @ReversibleAction}, {@code @Compensate};</li>
 * <li>{@code metadata} — reads the annotations once at start-up into immutable specs and validates them;</li>
 * <li>{@code aop} — the thin interceptor that turns annotated calls into core actions;</li>
 * <li>{@code statistics} — the one object that counts sagas, steps and compensations;</li>
 * <li>{@code metrics}, {@code actuate.endpoint}, {@code logging} — views of what the core reports;</li>
 * <li>{@code autoconfigure} — the auto-configurations and {@code reversible.*} properties.</li>
 * </ul>
 * Ordering, rollback, retry and events live in {@code dev.reversible.core}; nothing here repeats them.
 */
package dev.reversible.spring;
