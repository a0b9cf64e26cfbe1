package dev.reversible.spring.aop;

/**
 * What a {@link dev.reversible.spring.annotation.ReversibleAction} call does when no saga is running
 * on the thread ({@code reversible.outside-saga}).
 *
 * <pre>{@code
 * reversible.outside-saga=fail
 * }</pre>
 */
public enum OutsideSagaPolicy {

    /** Run it as a one-step saga named after the action: a failure compensates it, then propagates. */
    EXECUTE,

    /** Refuse it with an {@link IllegalStateException} naming the method: every action must be part of a saga. */
    FAIL
}
