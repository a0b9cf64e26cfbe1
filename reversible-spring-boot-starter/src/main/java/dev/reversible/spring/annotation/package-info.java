/**
 * The annotations users put on their beans: {@link dev.reversible.spring.annotation.ReversibleSaga}
 * (the boundary), {@link dev.reversible.spring.annotation.ReversibleAction} (a step) and
 * {@link dev.reversible.spring.annotation.Compensate} (a step's compensation handler).
 */
package dev.reversible.spring.annotation;
