package dev.reversible.spring.metadata;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The names of the singleton beans that hold actions, by identity: a compensation pushed by a step can
 * name its bean, so that a journal can find that bean again after a restart. Two beans of one class keep
 * their own names.
 *
 * <pre>{@code
 * registry.register(inventory, "eastWarehouse");
 * registry.beanName(inventory);   // "eastWarehouse"
 * }</pre>
 *
 * Only singletons belong here: every instance registered stays reachable for as long as the registry,
 * so a prototype or a request-scoped instance would never be collected.
 */
public final class SagaBeanRegistry {

    private final Map<Object, String> names = Collections.synchronizedMap(new IdentityHashMap<>());

    /**
     * @param bean a singleton bean instance (the target, not its proxy)
     * @param beanName the name {@code getBean} finds it under
     */
    public void register(Object bean, String beanName) {
        names.put(bean, beanName);
    }

    /**
     * @param bean a bean instance (the target, not its proxy)
     * @return the name it was registered under, or {@code null} (not a singleton, or not created by a bean factory)
     */
    public String beanName(Object bean) {
        return names.get(bean);
    }

    /**
     * @param filter which beans to name
     * @return the names of the registered beans that pass {@code filter}
     */
    public java.util.List<String> beanNames(java.util.function.Predicate<Object> filter) {
        synchronized (names) {
            return names.entrySet().stream().filter(entry -> filter.test(entry.getKey())).map(Map.Entry::getValue).toList();
        }
    }
}
