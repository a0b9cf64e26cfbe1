package dev.reversible.spring.metadata;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

import dev.reversible.spring.annotation.StepRecord;

/**
 * A parsed {@link dev.reversible.spring.annotation.ReversibleAction} with its bound compensation handler.
 *
 * <pre>{@code
 * ActionSpec spec = source.find(method, Inventory.class) instanceof ActionSpec a ? a : null;
 * spec.handler().invoke(bean, arguments, result, context);
 * }</pre>
 *
 * @param name the action name
 * @param beanClass the user class declaring the bean (never a proxy class)
 * @param method the action method
 * @param handler the {@link dev.reversible.spring.annotation.Compensate} method, bound to the action's parameters
 * @param durable whether the step is journaled with its arguments ({@code @ReversibleAction(durable = ...)})
 * @param aliases former names this action answers to in the journal ({@code @ReversibleAction(aliases = ...)})
 * @param timeout how long an asynchronous action's future may take ({@code @ReversibleAction(timeout = ...)}), or
 *     {@code null} for no limit
 * @param record where the durable journal writes the step's record ({@code @ReversibleAction(record = ...)})
 */
public record ActionSpec(String name, Class<?> beanClass, Method method, CompensationHandler handler, boolean durable,
        List<String> aliases, Duration timeout, StepRecord record) implements OperationSpec {

    /** Checks that every part is present. */
    public ActionSpec {
        Objects.requireNonNull(name, "name must not be null");
        Objects.requireNonNull(beanClass, "beanClass must not be null");
        Objects.requireNonNull(method, "method must not be null");
        Objects.requireNonNull(handler, "handler must not be null");
        aliases = List.copyOf(aliases);
        Objects.requireNonNull(record, "record must not be null");
    }

    /**
     * An action recorded write-ahead.
     * @param name the action name
     * @param beanClass the user class declaring the bean
     * @param method the action method
     * @param handler its bound compensation handler
     * @param durable whether the step is journaled with its arguments
     * @param aliases former names this action answers to in the journal
     * @param timeout how long an asynchronous action's future may take, or {@code null}
     */
    public ActionSpec(String name, Class<?> beanClass, Method method, CompensationHandler handler, boolean durable,
            List<String> aliases, Duration timeout) {
        this(name, beanClass, method, handler, durable, aliases, timeout, StepRecord.WRITE_AHEAD);
    }

    /**
     * An action without a timeout.
     * @param name the action name
     * @param beanClass the user class declaring the bean
     * @param method the action method
     * @param handler its bound compensation handler
     * @param durable whether the step is journaled with its arguments
     * @param aliases former names this action answers to in the journal
     */
    public ActionSpec(String name, Class<?> beanClass, Method method, CompensationHandler handler, boolean durable,
            List<String> aliases) {
        this(name, beanClass, method, handler, durable, aliases, null);
    }

    /**
     * An action without aliases.
     * @param name the action name
     * @param beanClass the user class declaring the bean
     * @param method the action method
     * @param handler its bound compensation handler
     * @param durable whether the step is journaled with its arguments
     */
    public ActionSpec(String name, Class<?> beanClass, Method method, CompensationHandler handler, boolean durable) {
        this(name, beanClass, method, handler, durable, List.of());
    }

    /**
     * @param journaledName an action name read from the journal
     * @return whether this action answers to it: its name, or one of its aliases
     */
    public boolean answersTo(String journaledName) {
        return name.equals(journaledName) || aliases.contains(journaledName);
    }

    /**
     * A durable action.
     * @param name the action name
     * @param beanClass the user class declaring the bean
     * @param method the action method
     * @param handler its bound compensation handler
     */
    public ActionSpec(String name, Class<?> beanClass, Method method, CompensationHandler handler) {
        this(name, beanClass, method, handler, true);
    }

    /** @return {@code SimpleClassName.method} for messages */
    public String describe() {
        return beanClass.getSimpleName() + "." + method.getName();
    }
}
