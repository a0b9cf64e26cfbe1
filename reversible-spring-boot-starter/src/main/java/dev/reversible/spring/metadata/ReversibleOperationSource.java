package dev.reversible.spring.metadata;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.aop.support.AopUtils;
import org.springframework.util.ClassUtils;

/**
 * The annotation metadata of every bean class, parsed once and cached — misses included. The first look
 * at a class (at start-up, by {@link ReversibleBeanValidator}) parses and validates it; every later look,
 * on the call path included, is a map read of immutable specs.
 *
 * <pre>{@code
 * ReversibleOperationSource source = new ReversibleOperationSource();
 * source.validate(Inventory.class, "inventory");            // at start-up: throws ReversibleConfigurationException
 * OperationSpec spec = source.find(method, Inventory.class); // SagaSpec, ActionSpec, or null
 * }</pre>
 */
public class ReversibleOperationSource {

    /** Per user class, its operations keyed by its own (most specific) methods; an empty map is a cached miss. */
    private final Map<Class<?>, Map<Method, OperationSpec>> classes = new ConcurrentHashMap<>();
    private final SagaBeanRegistry beans;
    /** Every action name and alias claimed so far, with the action claiming it. */
    private final Map<String, ActionSpec> names = new ConcurrentHashMap<>();

    /** A source with a registry of its own. */
    public ReversibleOperationSource() {
        this(new SagaBeanRegistry());
    }

    /** @param beans where {@link #registerBean} records the names of singleton beans with actions */
    public ReversibleOperationSource(SagaBeanRegistry beans) {
        this.beans = Objects.requireNonNull(beans, "beans must not be null");
    }

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
        Map<Method, OperationSpec> operations = operations(userClass, null);
        if (operations.isEmpty()) {
            return null;
        }
        OperationSpec spec = operations.get(method);
        return spec != null ? spec : operations.get(AopUtils.getMostSpecificMethod(method, userClass));
    }

    /**
     * Finds an action by its name, as recovery does for a step read from a journal.
     * @param beanClass the bean's class (a proxy class is resolved to the user class)
     * @param actionName the action's name
     * @return its spec, or empty when the class has no action of that name (any more)
     */
    public Optional<ActionSpec> action(Class<?> beanClass, String actionName) {
        return operations(ClassUtils.getUserClass(beanClass), null).values().stream()
                .filter(ActionSpec.class::isInstance).map(ActionSpec.class::cast)
                .filter(spec -> spec.name().equals(actionName))
                .findFirst()
                .or(() -> operations(ClassUtils.getUserClass(beanClass), null).values().stream()
                        .filter(ActionSpec.class::isInstance).map(ActionSpec.class::cast)
                        .filter(spec -> spec.answersTo(actionName)).findFirst());
    }

    /**
     * Finds the singleton bean whose action answers to a journaled name — how recovery finds a step whose
     * journaled bean name no longer exists (a {@code @Component} whose class was renamed gets a new default
     * name): action names and aliases are unique in an application, so the action identifies its bean.
     * @param actionName an action name or alias read from the journal
     * @return the name of the one registered singleton bean with that action, or empty (none, or several
     *     beans of the same class)
     */
    public Optional<String> beanNameForAction(String actionName) {
        List<String> names = beans.beanNames(bean -> actions(bean.getClass()).stream().anyMatch(spec -> spec.answersTo(actionName)));
        return names.size() == 1 ? Optional.of(names.get(0)) : Optional.empty();
    }

    /**
     * @param beanClass a bean's class (a proxy class is resolved to the user class); parsed and validated on the first look
     * @return its actions, in no particular order
     * @throws ReversibleConfigurationException when its annotations cannot work
     */
    public List<ActionSpec> actions(Class<?> beanClass) {
        return operations(ClassUtils.getUserClass(beanClass), null).values().stream()
                .filter(ActionSpec.class::isInstance).map(ActionSpec.class::cast).toList();
    }

    /** @return whether the class has any saga or action */
    public boolean hasOperations(Class<?> targetClass) {
        return !operations(ClassUtils.getUserClass(targetClass), null).isEmpty();
    }

    /**
     * Remembers a singleton bean's name in the {@link SagaBeanRegistry}, when its class has operations.
     * Callers must not pass prototype or scoped instances: the registry would keep every one alive.
     * @param bean the bean instance (the target, not its proxy)
     * @param beanName the name {@code getBean} finds it under
     */
    public void registerBean(Object bean, String beanName) {
        if (hasOperations(bean.getClass())) {
            beans.register(bean, beanName);
        }
    }

    /**
     * @param bean a bean instance (the target, not its proxy)
     * @return the name it was registered under, or {@code null} (not a singleton, or not created by a bean factory)
     */
    public String beanName(Object bean) {
        return beans.beanName(bean);
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
        classes.values().forEach(c -> c.values().stream().filter(kind::isInstance).forEach(s -> names.add(s.name())));
        return names;
    }

    private Map<Method, OperationSpec> operations(Class<?> userClass, String beanName) {
        Map<Method, OperationSpec> cached = classes.get(userClass);
        if (cached != null) {
            return cached;
        }
        // computeIfAbsent, not get-then-put: two threads racing on a class's first look must both get the
        // one cached spec, or an interceptor could hold a spec the names and the endpoint never see.
        Map<Method, OperationSpec> parsed = classes.computeIfAbsent(userClass, type -> ReversibleAnnotationParser.parse(type, beanName));
        claimNames(parsed, beanName);
        return parsed;
    }

    /**
     * Action names and aliases are unique in an application — a journaled step is found again by its action's
     * name alone — so two different action methods claiming one stop start-up, naming both. A subclass
     * inheriting its parent's action, or one class behind two beans, claims nothing twice: it is one method.
     */
    private void claimNames(Map<Method, OperationSpec> operations, String beanName) {
        for (OperationSpec operation : operations.values()) {
            if (operation instanceof ActionSpec action) {
                claimName(action.name(), action, beanName);
                for (String alias : action.aliases()) {
                    claimName(alias, action, beanName);
                }
            }
        }
    }

    private void claimName(String name, ActionSpec action, String beanName) {
        ActionSpec claimed = names.putIfAbsent(name, action);
        if (claimed != null && !claimed.method().equals(action.method())) {
            throw new ReversibleConfigurationException(beanName == null ? action.describe() : beanName, action.beanClass(), action.method(),
                    "the action name '" + name + "' of " + action.describe() + " is already claimed by " + claimed.describe()
                    + " (" + claimed.beanClass().getName() + "); action names and aliases must be unique in an application,"
                    + " since recovery finds a journaled step by its action's name — rename one, or give it a distinct alias");
        }
    }
}
