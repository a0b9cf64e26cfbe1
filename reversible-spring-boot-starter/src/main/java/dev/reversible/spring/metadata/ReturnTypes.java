package dev.reversible.spring.metadata;

import java.lang.reflect.Method;
import java.util.concurrent.CompletionStage;

import org.springframework.core.ResolvableType;
import org.springframework.util.ClassUtils;

/**
 * What a saga or action method returns, as the starter reads it: a plain value, a future (an
 * asynchronous step or saga), or a reactive type (refused until supported).
 *
 * <pre>{@code
 * ReturnTypes.isAsynchronous(method);   // CompletableFuture<String> reserve(...): true
 * ReturnTypes.resultType(method);       // String: what a handler's result parameter receives
 * }</pre>
 */
public final class ReturnTypes {

    /** Reactive types recognised by name, so no reactive library is needed on the class path to refuse them. */
    private static final String[] REACTIVE = { "org.reactivestreams.Publisher", "java.util.concurrent.Flow$Publisher",
        "reactor.core.publisher.", "io.reactivex.", "kotlinx.coroutines.flow." };

    private ReturnTypes() {
    }

    /**
     * @param method a saga or action method
     * @return whether it returns a {@link CompletionStage} (a {@code CompletableFuture} included)
     */
    public static boolean isAsynchronous(Method method) {
        return CompletionStage.class.isAssignableFrom(method.getReturnType());
    }

    /**
     * @param method an action method
     * @return the type of the value a handler's result parameter receives: the future's type argument for
     *     an asynchronous action ({@code Object} when unresolvable), the boxed return type otherwise
     */
    public static Class<?> resultType(Method method) {
        if (isAsynchronous(method)) {
            return ResolvableType.forMethodReturnType(method).as(CompletionStage.class).getGeneric(0).resolve(Object.class);
        }
        return ClassUtils.resolvePrimitiveIfNecessary(method.getReturnType());
    }

    /** @return whether the method returns nothing a handler could receive */
    static boolean hasNoResult(Method method) {
        Class<?> type = resultType(method);
        return type == void.class || type == Void.class;
    }

    /**
     * @param method a saga or action method
     * @return whether it returns another {@link CompletionStage} than {@code CompletionStage} or
     *     {@code CompletableFuture}: the starter hands back the core's {@code CompletableFuture}, which could
     *     not be returned as that type
     */
    static boolean isUnsupportedStage(Method method) {
        Class<?> type = method.getReturnType();
        return isAsynchronous(method) && type != CompletionStage.class && type != java.util.concurrent.CompletableFuture.class;
    }

    /**
     * @param method a saga or action method
     * @return the name of the reactive type it returns, or {@code null}
     */
    static String reactiveType(Method method) {
        Class<?> type = method.getReturnType();
        return isReactive(type) ? type.getName() : null;
    }

    private static boolean isReactive(Class<?> type) {
        if (type == null || type == Object.class || type.isPrimitive()) {
            return false;
        }
        for (String name : REACTIVE) {
            if (name.endsWith(".") ? type.getName().startsWith(name) : type.getName().equals(name)) {
                return true;
            }
        }
        for (Class<?> implemented : type.getInterfaces()) {
            if (isReactive(implemented)) {
                return true;
            }
        }
        return isReactive(type.getSuperclass());
    }
}
