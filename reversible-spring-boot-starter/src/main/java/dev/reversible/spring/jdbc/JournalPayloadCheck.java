package dev.reversible.spring.jdbc;

import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.Type;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import dev.reversible.jdbc.JournalJson;
import dev.reversible.spring.metadata.ActionSpec;
import dev.reversible.spring.metadata.ReversibleConfigurationException;
import dev.reversible.spring.metadata.ReversibleOperationSource;

import org.springframework.aop.framework.AopInfrastructureBean;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.util.ClassUtils;

/**
 * The start-up check that every journaled action's payload can be read back after a crash: once every
 * singleton exists, each bean's durable actions (from the cached metadata) are looked at, and every type
 * recovery reads into — each action parameter, as the {@code @Compensate} handler declares it when it binds
 * it, and the result the handler binds — must be readable by the journal's JSON mapper
 * ({@link JournalJson#unreadable}: an interface or abstract class without type information is not). One that
 * is not stops start-up with a {@link ReversibleConfigurationException} naming the bean, the method and the
 * parameter — unless the action says {@code @ReversibleAction(durable = false)}: it is then compensated in
 * memory only.
 *
 * <p>Only the bean definitions and their predicted types are read; no bean is created for the check.
 */
public final class JournalPayloadCheck implements SmartInitializingSingleton, BeanFactoryAware {

    private final ReversibleOperationSource source;
    private final JournalJson json;
    private ConfigurableListableBeanFactory beanFactory;

    /**
     * @param source the cached metadata of every bean class
     * @param json the journal's JSON mapping
     */
    public JournalPayloadCheck(ReversibleOperationSource source, JournalJson json) {
        this.source = source;
        this.json = json;
    }

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        if (beanFactory instanceof ConfigurableListableBeanFactory listable) {
            this.beanFactory = listable;
        }
    }

    @Override
    public void afterSingletonsInstantiated() {
        if (beanFactory == null) {
            return;
        }
        Set<Class<?>> checked = new HashSet<>();
        for (String beanName : beanFactory.getBeanDefinitionNames()) {
            if (beanFactory.getMergedBeanDefinition(beanName).isAbstract()) {
                continue;
            }
            Class<?> type;
            try {
                type = beanFactory.getType(beanName, false);
            } catch (BeansException e) {
                continue;
            }
            if (type != null && !AopInfrastructureBean.class.isAssignableFrom(type) && checked.add(ClassUtils.getUserClass(type))) {
                check(beanName, ClassUtils.getUserClass(type));
            }
        }
    }

    /**
     * Checks one bean class's durable actions.
     * @param beanName the bean's name, for the message
     * @param beanClass its user class
     * @throws ReversibleConfigurationException naming the bean, the method and the parameter that cannot be journaled
     */
    public void check(String beanName, Class<?> beanClass) {
        for (ActionSpec action : source.actions(beanClass)) {
            if (action.durable()) {
                check(beanName, beanClass, action);
            }
        }
    }

    private void check(String beanName, Class<?> beanClass, ActionSpec action) {
        Method method = action.method();
        Type[] types = action.handler().argumentTypes(method);
        Parameter[] parameters = method.getParameters();
        for (int i = 0; i < types.length; i++) {
            Optional<String> problem = json.unreadable(types[i]);
            if (problem.isPresent()) {
                throw refused(beanName, beanClass, action, "parameter " + i + " '" + parameters[i].getName() + "' ("
                        + types[i].getTypeName() + ")", problem.get());
            }
        }
        Type resultType = action.handler().resultType();
        if (resultType != null) {
            Optional<String> problem = json.unreadable(resultType);
            if (problem.isPresent()) {
                throw refused(beanName, beanClass, action, "the result its @Compensate handler takes (" + resultType.getTypeName() + ")",
                        problem.get());
            }
        }
    }

    private static ReversibleConfigurationException refused(String beanName, Class<?> beanClass, ActionSpec action, String what, String why) {
        return new ReversibleConfigurationException(beanName, beanClass, action.method(), "@ReversibleAction '" + action.name() + "': "
                + what + " cannot be journaled: the journal could not read it back as JSON after a crash (" + why + "). Pass identifiers or"
                + " plain values (records, strings, numbers), or declare @ReversibleAction(durable = false) to compensate it in memory"
                + " only (after a crash its saga is left STUCK)");
    }
}
