package dev.reversible.spring.metadata;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import dev.reversible.spring.CompensationContext;
import dev.reversible.spring.annotation.Compensate;
import dev.reversible.spring.annotation.ReversibleAction;
import dev.reversible.spring.annotation.ReversibleSaga;

import org.springframework.aop.support.AopUtils;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;
import org.springframework.util.StringUtils;

/**
 * The one place annotations are read: each bean class is inspected once, its sagas, actions and
 * handlers parsed into immutable specs and validated, and the result cached — misses included.
 *
 * <pre>{@code
 * ReversibleOperationSource source = new ReversibleOperationSource();
 * source.validate(Inventory.class, "inventory");            // at start-up: throws ReversibleConfigurationException
 * OperationSpec spec = source.find(method, Inventory.class); // SagaSpec, ActionSpec, or null
 * }</pre>
 */
public class ReversibleOperationSource {

    /** The parsed operations of one class, keyed by the class's own (most specific) methods. */
    private record ClassOperations(Map<Method, OperationSpec> operations) {
        static final ClassOperations NONE = new ClassOperations(Map.of());
    }

    private static final Comparator<Method> METHOD_ORDER = Comparator.comparing(ReversibleConfigurationException::signature)
            .thenComparing(Method::toGenericString);

    private final Map<Class<?>, ClassOperations> classes = new ConcurrentHashMap<>();
    /** Singleton beans with actions, by identity: a pushed compensation names its bean, for a journal to find it again. */
    private final Map<Object, String> beanNames = Collections.synchronizedMap(new IdentityHashMap<>());

    /**
     * Inspects a bean's class and fails when its annotations cannot work.
     * @param beanClass the bean's class (a proxy class is resolved to the user class)
     * @param beanName the bean name, for the message
     * @throws ReversibleConfigurationException naming the bean, the method and the reason
     */
    public void validate(Class<?> beanClass, String beanName) {
        operations(ClassUtils.getUserClass(beanClass), beanName);
    }

    /**
     * @param method the invoked method (an interface method is resolved on {@code targetClass})
     * @param targetClass the bean's class
     * @return the method's saga or action spec, or {@code null} when it has none
     */
    public OperationSpec find(Method method, Class<?> targetClass) {
        Class<?> userClass = ClassUtils.getUserClass(targetClass);
        Map<Method, OperationSpec> operations = operations(userClass, null).operations();
        if (operations.isEmpty()) {
            return null;
        }
        OperationSpec spec = operations.get(method);
        return spec != null ? spec : operations.get(AopUtils.getMostSpecificMethod(method, userClass));
    }

    /**
     * Remembers a singleton bean's name, when its class has operations, so that {@link #beanName(Object)}
     * can name it later. Prototype beans are not remembered: the map would keep every instance alive.
     * @param bean the bean instance (the target, not its proxy)
     * @param beanName its name
     */
    public void registerBean(Object bean, String beanName) {
        if (hasOperations(bean.getClass())) {
            beanNames.put(bean, beanName);
        }
    }

    /**
     * @param bean a bean instance (the target, not its proxy)
     * @return the name it was registered under, or {@code null} (not a singleton, or not created by a bean factory)
     */
    public String beanName(Object bean) {
        return beanNames.get(bean);
    }

    /** @return whether the class has any saga or action */
    public boolean hasOperations(Class<?> targetClass) {
        return !operations(ClassUtils.getUserClass(targetClass), null).operations().isEmpty();
    }

    /** @return the names of every saga found so far, sorted */
    public Set<String> sagaNames() {
        return names(SagaSpec.class);
    }

    /** @return the names of every action found so far, sorted */
    public Set<String> actionNames() {
        return names(ActionSpec.class);
    }

    private Set<String> names(Class<? extends OperationSpec> kind) {
        Set<String> names = new TreeSet<>();
        classes.values().forEach(c -> c.operations().values().stream().filter(kind::isInstance).forEach(s -> names.add(s.name())));
        return names;
    }

    private ClassOperations operations(Class<?> userClass, String beanName) {
        ClassOperations cached = classes.get(userClass);
        if (cached == null) {
            cached = inspect(userClass, beanName);
            classes.putIfAbsent(userClass, cached);
        }
        return cached;
    }

    private ClassOperations inspect(Class<?> userClass, String beanName) {
        if (userClass.getName().startsWith("java.") || userClass.isInterface()) {
            return ClassOperations.NONE;
        }
        ReversibleSaga classSaga = AnnotatedElementUtils.findMergedAnnotation(userClass, ReversibleSaga.class);
        Map<Method, OperationSpec> operations = new HashMap<>();
        Map<String, Method> actions = new LinkedHashMap<>();
        Map<String, List<Method>> handlers = new LinkedHashMap<>();
        List<Method> methods = new ArrayList<>();
        for (Method method : ReflectionUtils.getUniqueDeclaredMethods(userClass, ReflectionUtils.USER_DECLARED_METHODS)) {
            if (classSaga != null || isAnnotated(method)) {
                methods.add(method);
            }
        }
        if (methods.isEmpty()) {
            return ClassOperations.NONE;   // most beans: nothing to parse, nothing to sort
        }
        // Reflection returns methods in no particular order (HotSpot's varies from run to run): sorting makes
        // which of two handlers or two same-named actions a start-up error names the same in every run.
        methods.sort(METHOD_ORDER);
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
                        + "\") handler on the same bean. Expected: " + expectedSignature(name, action));
            }
            if (candidates.size() > 1) {
                throw error(beanName, userClass, candidates.get(1), "@ReversibleAction '" + name + "' has two @Compensate handlers: "
                        + ReversibleConfigurationException.signature(candidates.get(0)) + " and "
                        + ReversibleConfigurationException.signature(candidates.get(1)) + "; keep one");
            }
            CompensationHandler handler = bind(beanName, userClass, name, action, candidates.get(0));
            operations.put(action, new ActionSpec(name, userClass, action, handler));
        }
        return operations.isEmpty() ? ClassOperations.NONE : new ClassOperations(Collections.unmodifiableMap(operations));
    }

    private static SagaSpec sagaSpec(String beanName, Class<?> userClass, Method method, ReversibleSaga saga, boolean fromClass) {
        String simpleName = userClass.getSimpleName() + "." + method.getName();
        String name = !StringUtils.hasText(saga.name()) ? simpleName : fromClass ? saga.name() + "." + method.getName() : saga.name();
        try {
            return new SagaSpec(name, RollbackRule.of(Arrays.asList(saga.rollbackFor()), Arrays.asList(saga.noRollbackFor())));
        } catch (IllegalArgumentException e) {
            throw error(beanName, userClass, method, "@ReversibleSaga: " + e.getMessage());
        }
    }

    /** Binds each handler parameter to an action argument, the action's result or the context. */
    private static CompensationHandler bind(String beanName, Class<?> userClass, String name, Method action, Method handler) {
        if (Modifier.isStatic(handler.getModifiers())) {
            throw error(beanName, userClass, handler, "a @Compensate handler must be an instance method");
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
                Class<?> returnType = action.getReturnType();
                if (returnType == void.class) {
                    throw bindError(beanName, userClass, name, action, handler, "parameter " + (i + 1) + " (" + types[i].getSimpleName()
                            + ") has nothing to receive: the action returns void");
                }
                if (types[i].isPrimitive()) {
                    throw bindError(beanName, userClass, name, action, handler, "the result parameter must be a reference type ("
                            + ClassUtils.resolvePrimitiveIfNecessary(types[i]).getSimpleName() + ", not " + types[i].getSimpleName()
                            + "): it is null when the action failed");
                }
                if (!types[i].isAssignableFrom(ClassUtils.resolvePrimitiveIfNecessary(returnType))) {
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

    private static ReversibleConfigurationException bindError(String beanName, Class<?> userClass, String name, Method action,
            Method handler, String reason) {
        return error(beanName, userClass, handler, "@Compensate(\"" + name + "\") " + reason + ". Expected: " + expectedSignature(name, action));
    }

    private static String expectedSignature(String name, Method action) {
        StringBuilder text = new StringBuilder("@Compensate(\"").append(name).append("\") void anyName(");
        Class<?>[] types = action.getParameterTypes();
        for (int i = 0; i < types.length; i++) {
            text.append(i == 0 ? "" : ", ").append(types[i].getSimpleName());
        }
        if (action.getReturnType() != void.class) {
            text.append(types.length == 0 ? "[" : "[, ")
                    .append(ClassUtils.resolvePrimitiveIfNecessary(action.getReturnType()).getSimpleName()).append(" result]");
        }
        return text.append(types.length == 0 && action.getReturnType() == void.class ? "[" : "[, ").append("CompensationContext context])").toString();
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
