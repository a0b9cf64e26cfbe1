package dev.reversible.spring.aot;

import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;

import dev.reversible.spring.metadata.ActionSpec;
import dev.reversible.spring.metadata.OperationSpec;
import dev.reversible.spring.metadata.ReturnTypes;
import dev.reversible.spring.metadata.ReversibleOperationSource;
import dev.reversible.spring.metadata.SagaSpec;

import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.ReflectionHints;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.beans.factory.aot.BeanRegistrationAotContribution;
import org.springframework.beans.factory.aot.BeanRegistrationAotProcessor;
import org.springframework.beans.factory.support.RegisteredBean;
import org.springframework.core.ResolvableType;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * At build time, for each bean whose class declares {@code @ReversibleSaga}, {@code @ReversibleAction} or
 * {@code @Compensate} methods, registers what the starter reflects on at run time:
 * <ul>
 * <li>the bean class, whose declared methods the starter parses (and recovery looks an action up in by name);</li>
 * <li>each saga and action method and each {@code @Compensate} handler, invoked reflectively
 * ({@link dev.reversible.spring.metadata.CompensationHandler#invoke});</li>
 * <li>each durable action's journal payload types, written and read back with Jackson: every type recovery
 * reads an argument into ({@link dev.reversible.spring.metadata.CompensationHandler#argumentTypes}), the
 * result type its handler takes, and the action's own result type — registered for data binding
 * ({@link BindingReflectionHintsRegistrar}: constructors, fields, accessors, and the generic arguments).</li>
 * </ul>
 * Listed in {@code META-INF/spring/aot.factories}; classes whose annotations are invalid fail here as they
 * would at start-up.
 */
public class ReversibleBeanRegistrationAotProcessor implements BeanRegistrationAotProcessor {

    @Override
    public BeanRegistrationAotContribution processAheadOfTime(RegisteredBean registeredBean) {
        Class<?> beanClass = ClassUtils.getUserClass(registeredBean.getBeanClass());
        if (operations(beanClass).isEmpty()) {
            return null;
        }
        return (generationContext, beanRegistrationCode) -> registerHints(generationContext.getRuntimeHints(), beanClass);
    }

    /**
     * Registers the hints for one bean class (nothing when it has no saga or action).
     * @param hints where to register them
     * @param beanClass the bean's class (a proxy class is resolved to the user class)
     */
    public static void registerHints(RuntimeHints hints, Class<?> beanClass) {
        Class<?> userClass = ClassUtils.getUserClass(beanClass);
        Map<Method, OperationSpec> operations = operations(userClass);
        if (operations.isEmpty()) {
            return;
        }
        ReflectionHints reflection = hints.reflection();
        reflection.registerType(userClass);
        Set<Type> payloads = new LinkedHashSet<>();
        for (Map.Entry<Method, OperationSpec> operation : operations.entrySet()) {
            if (operation.getValue() instanceof SagaSpec) {
                reflection.registerMethod(operation.getKey(), ExecutableMode.INVOKE);
            } else if (operation.getValue() instanceof ActionSpec action) {
                reflection.registerMethod(action.method(), ExecutableMode.INVOKE);
                reflection.registerMethod(action.handler().method(), ExecutableMode.INVOKE);
                if (action.durable()) {
                    payloads.addAll(payloadTypes(action));
                }
            }
        }
        new BindingReflectionHintsRegistrar().registerReflectionHints(reflection, payloads.toArray(Type[]::new));
    }

    /** The types an action's journal entry is written from and read back into. */
    private static List<Type> payloadTypes(ActionSpec action) {
        Method method = action.method();
        List<Type> types = new ArrayList<>(List.of(action.handler().argumentTypes(method)));
        Type handlerResult = action.handler().resultType();
        if (handlerResult != null) {
            types.add(handlerResult);
        }
        Type result = ReturnTypes.isAsynchronous(method)
                ? ResolvableType.forMethodReturnType(method).as(CompletionStage.class).getGeneric(0).getType()
                : method.getGenericReturnType();
        if (result != void.class && result != Void.class) {
            types.add(result);
        }
        return types;
    }

    /** The class's saga and action methods, parsed (and validated) as the starter does at start-up. */
    private static Map<Method, OperationSpec> operations(Class<?> userClass) {
        ReversibleOperationSource source = new ReversibleOperationSource();
        if (!source.hasOperations(userClass)) {
            return Map.of();
        }
        Map<Method, OperationSpec> operations = new LinkedHashMap<>();
        for (Method method : ReflectionUtils.getUniqueDeclaredMethods(userClass, ReflectionUtils.USER_DECLARED_METHODS)) {
            OperationSpec spec = source.find(method, userClass);
            if (spec != null) {
                operations.put(method, spec);
            }
        }
        return operations;
    }
}
