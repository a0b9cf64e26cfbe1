package dev.reversible.spring.metadata;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.stream.Collectors;

import dev.reversible.spring.CompensationContext;

import org.springframework.util.ReflectionUtils;

/**
 * A {@link dev.reversible.spring.annotation.Compensate} method bound, once, to its action's call: for
 * each handler parameter, where its value comes from (an action argument, the action's result, or the
 * {@link CompensationContext}).
 *
 * <pre>{@code
 * handler.invoke(proxy, actionArguments, actionResult, context);   // rethrows the handler's own exception
 * }</pre>
 */
public final class CompensationHandler {

    /** Where a handler parameter's value comes from: {@code >= 0} an action argument index, else one of these. */
    static final int RESULT = -1;
    static final int CONTEXT = -2;

    private final Method method;
    private final int[] sources;
    private final boolean proxyable;

    CompensationHandler(Method method, int[] sources) {
        this.method = method;
        this.sources = sources.clone();
        int modifiers = method.getModifiers();
        this.proxyable = !Modifier.isPrivate(modifiers) && !Modifier.isFinal(modifiers);
        ReflectionUtils.makeAccessible(method);
    }

    /**
     * Chooses the object to call the handler on: the proxy, so that the handler's own advice
     * ({@code @Transactional}, say) applies — unless the proxy cannot dispatch it: a private or final
     * handler, or a JDK proxy whose interfaces lack the method. Those run on the target, without advice.
     * @param proxy the bean's proxy, or {@code null}
     * @param target the bean itself
     * @return the receiver for {@link #invoke}
     */
    public Object receiver(Object proxy, Object target) {
        return proxyable && proxy != null && method.getDeclaringClass().isInstance(proxy) ? proxy : target;
    }

    /**
     * The types to read a journaled call's arguments back into: for each of the action's parameters, the
     * handler's declared (generic) type of the parameter bound to it, else the action's own.
     * @param action the action method
     * @return one type per action parameter
     */
    public Type[] argumentTypes(Method action) {
        Type[] types = action.getGenericParameterTypes().clone();
        Type[] declared = method.getGenericParameterTypes();
        for (int i = 0; i < sources.length; i++) {
            if (sources[i] >= 0 && sources[i] < types.length) {
                types[sources[i]] = declared[i];
            }
        }
        return types;
    }

    /** @return the handler's declared (generic) type of its result parameter, or {@code null} when it takes none */
    public Type resultType() {
        Type[] declared = method.getGenericParameterTypes();
        for (int i = 0; i < sources.length; i++) {
            if (sources[i] == RESULT) {
                return declared[i];
            }
        }
        return null;
    }

    /** @return the handler method */
    public Method method() {
        return method;
    }

    /**
     * Calls the handler.
     * @param bean the bean (its proxy, so that the handler's own advice, such as {@code @Transactional}, applies)
     * @param actionArguments the action call's arguments
     * @param result the action's result, or {@code null}
     * @param context the compensation context
     * @return what the handler returned: {@code null}, or a {@code CompletionStage} its compensation finishes with
     * @throws Exception the handler's own exception or error, unwrapped; a throwable that is neither, in an
     *     {@link java.lang.reflect.UndeclaredThrowableException}
     */
    public Object invoke(Object bean, Object[] actionArguments, Object result, CompensationContext context) throws Exception {
        Object[] arguments = new Object[sources.length];
        for (int i = 0; i < sources.length; i++) {
            int source = sources[i];
            arguments[i] = source >= 0 ? actionArguments[source] : source == RESULT ? result : context;
        }
        try {
            return method.invoke(bean, arguments);
        } catch (InvocationTargetException e) {
            // An Exception or an Error as it is; any other Throwable (legal in a handler that declares
            // "throws Throwable") in an UndeclaredThrowableException rather than failing on a cast.
            ReflectionUtils.rethrowException(e.getCause());
            throw new IllegalStateException("unreachable", e);
        }
    }

    @Override
    public String toString() {
        return method.getDeclaringClass().getSimpleName() + "." + method.getName() + "("
                + Arrays.stream(method.getParameterTypes()).map(Class::getSimpleName).collect(Collectors.joining(", ")) + ")";
    }
}
