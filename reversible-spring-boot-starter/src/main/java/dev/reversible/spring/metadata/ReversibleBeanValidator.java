package dev.reversible.spring.metadata;

import org.springframework.aop.framework.AopInfrastructureBean;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.FactoryBean;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.Ordered;
import org.springframework.core.PriorityOrdered;

/**
 * Inspects every bean's class once, as the bean is created, so that a misconfigured saga, action or
 * handler stops the application at start-up with the bean's name in the message — before the bean is
 * proxied, and long before a rollback would have needed the handler. Singleton beans with actions are
 * named in the {@link SagaBeanRegistry} on the way.
 *
 * <pre>{@code
 * @Bean
 * static ReversibleBeanValidator reversibleBeanValidator(ReversibleOperationSource source) {
 *     return new ReversibleBeanValidator(source);
 * }
 * }</pre>
 *
 * Any bean can hold actions, whatever creates it, and inspecting one never disturbs another: the
 * validator reads bean definitions only, never asks the bean factory for a bean, its type or its
 * singleton-ness (for a {@link FactoryBean} still being created, such as JPA's
 * {@code entityManagerFactory}, that question would create it a second time and fail start-up).
 * A {@link FactoryBean}'s product is only ever post-processed after initialization, so it is
 * inspected there; it runs before the auto-proxy creator, so its errors name the bean too. Beans not
 * created at start-up (lazy and prototype beans, scoped targets, products nobody asked for yet) are
 * inspected by their predicted type once every singleton exists, so their misconfiguration stops start-up
 * as well, still without creating them.
 */
public class ReversibleBeanValidator implements BeanPostProcessor, PriorityOrdered, SmartInitializingSingleton, AopInfrastructureBean,
        BeanFactoryAware {

    private final ReversibleOperationSource source;
    private ConfigurableListableBeanFactory beanFactory;

    /** @param source the metadata cache to fill */
    public ReversibleBeanValidator(ReversibleOperationSource source) {
        this.source = source;
    }

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (!(bean instanceof AopInfrastructureBean)) {
            source.validate(bean.getClass(), beanName);
            if (source.hasOperations(bean.getClass()) && isSingletonDefinition(beanName)) {
                // getBean(name) finds a factory bean's product; the factory itself is "&name".
                source.registerBean(bean, bean instanceof FactoryBean<?> ? BeanFactory.FACTORY_BEAN_PREFIX + beanName : beanName);
            }
        }
        return bean;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        // A factory bean's product comes only through here. Any other bean was inspected before its
        // initialization, and looking again is one cache read.
        if (!(bean instanceof AopInfrastructureBean)) {
            source.validate(bean.getClass(), beanName);
            // Only a product with actions is named, so no other factory bean is ever asked anything.
            if (source.hasOperations(bean.getClass()) && isSingletonProduct(bean, beanName)) {
                source.registerBean(bean, beanName);
            }
        }
        return bean;
    }

    /**
     * Inspects the predicted type of every bean not created yet. The type comes from the definition, or
     * from a factory bean that is fully created by now; a factory bean never created is not initialized
     * to ask it.
     */
    @Override
    public void afterSingletonsInstantiated() {
        if (beanFactory == null) {
            return;
        }
        for (String beanName : beanFactory.getBeanDefinitionNames()) {
            if (beanFactory.getMergedBeanDefinition(beanName).isAbstract() || beanFactory.isCurrentlyInCreation(beanName)) {
                continue;
            }
            Class<?> type;
            try {
                type = beanFactory.getType(beanName, false);
            } catch (BeansException e) {
                continue;   // no prediction: the bean is inspected when it is created
            }
            if (type != null && !AopInfrastructureBean.class.isAssignableFrom(type)) {
                source.validate(type, beanName);
            }
        }
    }

    /** Before the auto-proxy creator ({@code Ordered}), so a product's error names its bean, and before {@code @PostConstruct}. */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        if (beanFactory instanceof ConfigurableListableBeanFactory listable) {
            this.beanFactory = listable;
        }
    }

    /** From the definition alone: prototype, request- and session-scoped definitions say so, without creating anything. */
    private boolean isSingletonDefinition(String beanName) {
        return beanFactory != null && beanFactory.containsBeanDefinition(beanName)
                && beanFactory.getMergedBeanDefinition(beanName).isSingleton();
    }

    /**
     * A product is a singleton when its factory bean is a singleton that says so. The factory is asked only
     * once it is a fully created singleton ({@code containsSingleton} never returns one still in creation,
     * nor creates one), as the bean factory itself asks it before caching the product.
     */
    private boolean isSingletonProduct(Object bean, String beanName) {
        return beanFactory != null && isSingletonDefinition(beanName) && beanFactory.containsSingleton(beanName)
                && beanFactory.getSingleton(beanName) instanceof FactoryBean<?> factory && factory != bean && factory.isSingleton();
    }
}
