package dev.reversible.spring.metadata;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.reversible.spring.annotation.Compensate;
import dev.reversible.spring.annotation.ReversibleAction;
import dev.reversible.spring.annotation.ReversibleSaga;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ReflectionUtils;
import org.springframework.util.StringUtils;

/**
 * Reads one class's {@link ReversibleSaga}, {@link ReversibleAction} and {@link Compensate} annotations into
 * specs, each action with its handler bound by {@link CompensationHandlerBinder}, and refuses annotations
 * that cannot work. It keeps nothing: {@link ReversibleOperationSource} caches what it returns.
 */
final class ReversibleAnnotationParser {

    private static final Comparator<Method> METHOD_ORDER = Comparator.comparing(ReversibleConfigurationException::signature)
            .thenComparing(Method::toGenericString);

    private ReversibleAnnotationParser() {
    }

    /**
     * @param userClass the user class (never a proxy class)
     * @param beanName the bean name, for messages (may be {@code null})
     * @return the class's sagas and actions, keyed by its own methods; empty when it has none
     * @throws ReversibleConfigurationException naming the bean, the method and the reason
     */
    static Map<Method, OperationSpec> parse(Class<?> userClass, String beanName) {
        if (userClass.getName().startsWith("java.") || userClass.isInterface()) {
            return Map.of();
        }
        ReversibleSaga classSaga = AnnotatedElementUtils.findMergedAnnotation(userClass, ReversibleSaga.class);
        List<Method> methods = new ArrayList<>();
        for (Method method : ReflectionUtils.getUniqueDeclaredMethods(userClass, ReflectionUtils.USER_DECLARED_METHODS)) {
            if (classSaga != null || isAnnotated(method)) {
                methods.add(method);
            }
        }
        if (methods.isEmpty()) {
            return Map.of();   // most beans: nothing to parse, nothing to sort
        }
        // Reflection returns methods in no particular order (HotSpot's varies from run to run): sorting makes
        // which of two handlers or two same-named actions a start-up error names the same in every run.
        methods.sort(METHOD_ORDER);
        Map<Method, OperationSpec> operations = new HashMap<>();
        Map<String, Method> actions = new LinkedHashMap<>();
        Map<String, List<Method>> handlers = new LinkedHashMap<>();
        for (Method method : methods) {
            ReversibleSaga saga = AnnotatedElementUtils.findMergedAnnotation(method, ReversibleSaga.class);
            ReversibleAction action = AnnotatedElementUtils.findMergedAnnotation(method, ReversibleAction.class);
            Compensate compensate = AnnotatedElementUtils.findMergedAnnotation(method, Compensate.class);
            if (saga != null && action != null) {
                throw error(beanName, userClass, method, "is annotated with both @ReversibleSaga and @ReversibleAction; a method is either a saga boundary or a step");
            }
            if (compensate != null && (saga != null || action != null)) {
                throw error(beanName, userClass, method, "a @Compensate handler cannot itself be a @ReversibleSaga or a @ReversibleAction");
            }
            if (action != null || saga != null) {
                refuseReactive(beanName, userClass, method, action != null ? "@ReversibleAction" : "@ReversibleSaga");
            }
            if (action != null) {
                requireProxyable(beanName, userClass, method, "@ReversibleAction");
                String name = StringUtils.hasText(action.value()) ? action.value() : method.getName();
                Method other = actions.putIfAbsent(name, method);
                if (other != null) {
                    throw error(beanName, userClass, method, "@ReversibleAction '" + name + "' is declared twice on this bean (also on "
                            + ReversibleConfigurationException.signature(other) + "); give one of them another name");
                }
            } else if (saga != null) {
                requireProxyable(beanName, userClass, method, "@ReversibleSaga");
                operations.put(method, sagaSpec(beanName, userClass, method, saga, false));
            } else if (classSaga != null && compensate == null && isProxyablePublic(method) && !ReflectionUtils.isObjectMethod(method)) {
                // Like @Transactional on a class: toString, equals and hashCode overrides are never sagas.
                operations.put(method, sagaSpec(beanName, userClass, method, classSaga, true));
            }
            if (compensate != null) {
                handlers.computeIfAbsent(compensate.value(), name -> new ArrayList<>()).add(method);
            }
        }
        for (Map.Entry<String, List<Method>> entry : handlers.entrySet()) {
            if (!actions.containsKey(entry.getKey())) {
                throw error(beanName, userClass, entry.getValue().get(0), "@Compensate(\"" + entry.getKey()
                        + "\") names no @ReversibleAction of this bean; its actions are " + actions.keySet());
            }
        }
        for (Map.Entry<String, Method> entry : actions.entrySet()) {
            String name = entry.getKey();
            Method action = entry.getValue();
            List<Method> candidates = handlers.getOrDefault(name, List.of());
            if (candidates.isEmpty()) {
                throw error(beanName, userClass, action, "@ReversibleAction '" + name + "' has no @Compensate(\"" + name
                        + "\") handler on the same bean. Expected: " + CompensationHandlerBinder.expectedSignature(name, action));
            }
            if (candidates.size() > 1) {
                throw error(beanName, userClass, candidates.get(1), "@ReversibleAction '" + name + "' has two @Compensate handlers: "
                        + ReversibleConfigurationException.signature(candidates.get(0)) + " and "
                        + ReversibleConfigurationException.signature(candidates.get(1)) + "; keep one");
            }
            CompensationHandler handler = CompensationHandlerBinder.bind(beanName, userClass, name, action, candidates.get(0));
            ReversibleAction annotation = AnnotatedElementUtils.findMergedAnnotation(action, ReversibleAction.class);
            List<String> aliases = aliases(beanName, userClass, action, name, annotation.aliases(), actions.keySet());
            Duration timeout = timeout(beanName, userClass, action, "@ReversibleAction", annotation.timeout());
            if (timeout != null && !ReturnTypes.isAsynchronous(action)) {
                throw error(beanName, userClass, action, "@ReversibleAction '" + name + "' has timeout = \"" + annotation.timeout()
                        + "\", but it is synchronous: a running thread cannot be stopped safely, so its timeout could never be kept. "
                        + "Return a CompletableFuture from it (the step then times out and is compensated), or bound the work "
                        + "inside it (a client or query timeout) and remove the attribute");
            }
            operations.put(action, new ActionSpec(name, userClass, action, handler, annotation.durable(), aliases, timeout,
                    annotation.record()));
        }
        return operations.isEmpty() ? Map.of() : Collections.unmodifiableMap(operations);
    }

    /** @return the action's aliases, refused when blank, its own name, or another action's name on this bean */
    private static List<String> aliases(String beanName, Class<?> userClass, Method action, String name, String[] declared,
            java.util.Set<String> actionNames) {
        List<String> aliases = new ArrayList<>();
        for (String alias : declared) {
            if (!StringUtils.hasText(alias)) {
                throw error(beanName, userClass, action, "@ReversibleAction '" + name + "' has a blank alias");
            }
            if (alias.equals(name) || actionNames.contains(alias)) {
                throw error(beanName, userClass, action, "@ReversibleAction '" + name + "' has the alias '" + alias
                        + "', which is already the name of an action of this bean");
            }
            if (aliases.contains(alias)) {
                throw error(beanName, userClass, action, "@ReversibleAction '" + name + "' declares the alias '" + alias + "' twice");
            }
            aliases.add(alias);
        }
        return aliases;
    }

    private static SagaSpec sagaSpec(String beanName, Class<?> userClass, Method method, ReversibleSaga saga, boolean fromClass) {
        String simpleName = userClass.getSimpleName() + "." + method.getName();
        String name = !StringUtils.hasText(saga.name()) ? simpleName : fromClass ? saga.name() + "." + method.getName() : saga.name();
        try {
            return new SagaSpec(name, RollbackRule.of(Arrays.asList(saga.rollbackFor()), Arrays.asList(saga.noRollbackFor())),
                    timeout(beanName, userClass, method, "@ReversibleSaga", saga.timeout()), saga.compensation());
        } catch (IllegalArgumentException e) {
            throw error(beanName, userClass, method, "@ReversibleSaga: " + e.getMessage());
        }
    }

    /** @return the attribute's duration (Boot's format), {@code null} when empty; refused unless positive */
    private static Duration timeout(String beanName, Class<?> userClass, Method method, String annotation, String value) {
        if (value.isEmpty()) {
            return null;
        }
        Duration timeout;
        try {
            timeout = DurationStyle.detectAndParse(value.strip());
        } catch (IllegalArgumentException e) {
            throw error(beanName, userClass, method, annotation + "(timeout = \"" + value
                    + "\") is not a duration: write it as \"30s\", \"500ms\", \"2m\" or \"PT30S\"");
        }
        if (timeout.isZero() || timeout.isNegative()) {
            throw error(beanName, userClass, method, annotation + "(timeout = \"" + value + "\") must be positive; leave it empty for none");
        }
        return timeout;
    }

    private static void requireProxyable(String beanName, Class<?> userClass, Method method, String annotation) {
        int modifiers = method.getModifiers();
        String problem = Modifier.isPrivate(modifiers) ? "private" : Modifier.isStatic(modifiers) ? "static"
                : Modifier.isFinal(modifiers) ? "final" : null;
        if (problem != null) {
            throw error(beanName, userClass, method, annotation + " on a " + problem
                    + " method: Spring's proxy cannot intercept it, so the annotation would be silently ignored. Make it public and non-final");
        }
    }

    private static void refuseReactive(String beanName, Class<?> userClass, Method method, String annotation) {
        String reactive = ReturnTypes.reactiveType(method);
        if (reactive != null) {
            throw error(beanName, userClass, method, annotation + " on a method returning " + reactive
                    + ": reactive types are not supported yet; return a CompletableFuture (an asynchronous step) or a plain value");
        }
        if (ReturnTypes.isUnsupportedStage(method)) {
            throw error(beanName, userClass, method, annotation + " on a method returning " + method.getReturnType().getName()
                    + ": an asynchronous " + (annotation.equals("@ReversibleAction") ? "step" : "saga")
                    + " must be declared to return CompletableFuture or CompletionStage");
        }
    }

    private static boolean isAnnotated(Method method) {
        return AnnotatedElementUtils.hasAnnotation(method, ReversibleAction.class) || AnnotatedElementUtils.hasAnnotation(method, Compensate.class)
                || AnnotatedElementUtils.hasAnnotation(method, ReversibleSaga.class);
    }

    private static boolean isProxyablePublic(Method method) {
        int modifiers = method.getModifiers();
        return Modifier.isPublic(modifiers) && !Modifier.isStatic(modifiers) && !Modifier.isFinal(modifiers);
    }

    private static ReversibleConfigurationException error(String beanName, Class<?> userClass, Method method, String reason) {
        return new ReversibleConfigurationException(beanName, userClass, method, reason);
    }
}
