package dev.reversible.spring.metadata;

import java.lang.reflect.Method;
import java.util.Objects;

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
 */
public record ActionSpec(String name, Class<?> beanClass, Method method, CompensationHandler handler, boolean durable)
        implements OperationSpec {

    /** Checks that every part is present. */
    public ActionSpec {
        Objects.requireNonNull(name, "name must not be null");
        Objects.requireNonNull(beanClass, "beanClass must not be null");
        Objects.requireNonNull(method, "method must not be null");
        Objects.requireNonNull(handler, "handler must not be null");
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
