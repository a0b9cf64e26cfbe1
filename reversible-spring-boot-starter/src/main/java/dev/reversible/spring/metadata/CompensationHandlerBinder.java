package dev.reversible.spring.metadata;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

import dev.reversible.spring.CompensationContext;

import org.springframework.util.ClassUtils;

/**
 * Binds a {@link dev.reversible.spring.annotation.Compensate} method to its action: for each handler
 * parameter, which action argument, the result or the {@link CompensationContext} it receives. A handler
 * that cannot be bound is refused with the signature it should have.
 */
final class CompensationHandlerBinder {

    private CompensationHandlerBinder() {
    }

    /**
     * @param beanName the bean name, for the message (may be {@code null})
     * @param userClass the class declaring both methods
     * @param name the action name
     * @param action the action method
     * @param handler the handler method
     * @return the bound handler
     * @throws ReversibleConfigurationException when a parameter cannot be bound
     */
    static CompensationHandler bind(String beanName, Class<?> userClass, String name, Method action, Method handler) {
        if (Modifier.isStatic(handler.getModifiers())) {
            throw new ReversibleConfigurationException(beanName, userClass, handler, "a @Compensate handler must be an instance method");
        }
        Class<?>[] actionTypes = action.getParameterTypes();
        Class<?>[] types = handler.getParameterTypes();
        int[] sources = new int[types.length];
        int next = 0;
        boolean context = false;
        boolean result = false;
        for (int i = 0; i < types.length; i++) {
            if (types[i] == CompensationContext.class) {
                if (context) {
                    throw bindError(beanName, userClass, name, action, handler, "declares CompensationContext twice");
                }
                context = true;
                sources[i] = CompensationHandler.CONTEXT;
            } else if (next < actionTypes.length) {
                if (!ClassUtils.isAssignable(types[i], actionTypes[next])) {
                    throw bindError(beanName, userClass, name, action, handler, "parameter " + (i + 1) + " (" + types[i].getSimpleName()
                            + ") cannot receive the action's parameter " + (next + 1) + " (" + actionTypes[next].getSimpleName() + ")");
                }
                // ClassUtils accepts int for Integer, but a null argument would then fail the handler at
                // rollback time, the worst moment: refuse it now, as for a primitive result parameter.
                if (types[i].isPrimitive() && !actionTypes[next].isPrimitive()) {
                    throw bindError(beanName, userClass, name, action, handler, "parameter " + (i + 1) + " (" + types[i].getSimpleName()
                            + ") cannot receive the action's parameter " + (next + 1) + " (" + actionTypes[next].getSimpleName()
                            + "): it may be null; declare it as " + actionTypes[next].getSimpleName());
                }
                sources[i] = next++;
            } else if (!result) {
                Class<?> returnType = ReturnTypes.resultType(action);
                if (ReturnTypes.hasNoResult(action)) {
                    throw bindError(beanName, userClass, name, action, handler, "parameter " + (i + 1) + " (" + types[i].getSimpleName()
                            + ") has nothing to receive: the action returns " + (ReturnTypes.isAsynchronous(action) ? "a future of Void" : "void"));
                }
                if (types[i].isPrimitive()) {
                    throw bindError(beanName, userClass, name, action, handler, "the result parameter must be a reference type ("
                            + ClassUtils.resolvePrimitiveIfNecessary(types[i]).getSimpleName() + ", not " + types[i].getSimpleName()
                            + "): it is null when the action failed");
                }
                if (!types[i].isAssignableFrom(returnType)) {
                    throw bindError(beanName, userClass, name, action, handler, "the result parameter (" + types[i].getSimpleName()
                            + ") cannot receive the action's result (" + returnType.getSimpleName() + ")");
                }
                result = true;
                sources[i] = CompensationHandler.RESULT;
            } else {
                throw bindError(beanName, userClass, name, action, handler, "has more parameters than the action's parameters, its result and a CompensationContext");
            }
        }
        if (next < actionTypes.length) {
            throw bindError(beanName, userClass, name, action, handler, "takes " + next + " of the action's " + actionTypes.length
                    + " parameters; it must take all of them, in order");
        }
        return new CompensationHandler(handler, sources);
    }

    /**
     * @param name the action name
     * @param action the action method
     * @return the handler signature that would bind, optional parts in brackets, for start-up messages
     */
    static String expectedSignature(String name, Method action) {
        StringBuilder text = new StringBuilder("@Compensate(\"").append(name).append("\") void anyName(");
        Class<?>[] types = action.getParameterTypes();
        for (int i = 0; i < types.length; i++) {
            text.append(i == 0 ? "" : ", ").append(types[i].getSimpleName());
        }
        boolean noResult = ReturnTypes.hasNoResult(action);
        if (!noResult) {
            text.append(types.length == 0 ? "[" : "[, ").append(ReturnTypes.resultType(action).getSimpleName()).append(" result]");
        }
        return text.append(types.length == 0 && noResult ? "[" : "[, ").append("CompensationContext context])").toString();
    }

    private static ReversibleConfigurationException bindError(String beanName, Class<?> userClass, String name, Method action,
            Method handler, String reason) {
        return new ReversibleConfigurationException(beanName, userClass, handler,
                "@Compensate(\"" + name + "\") " + reason + ". Expected: " + expectedSignature(name, action));
    }
}
