package dev.reversible.spring.metadata;

import org.springframework.aop.framework.AopInfrastructureBean;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.util.ClassUtils;

/**
 * Inspects every bean's class once, as the bean is created, so that a misconfigured saga, action or
 * handler stops the application at start-up with the bean's name in the message — before the bean is
 * proxied, and long before a rollback would have needed the handler.
 *
 * <pre>{@code
 * @Bean
 * static ReversibleBeanValidator reversibleBeanValidator(ReversibleOperationSource source) {
 *     return new ReversibleBeanValidator(source);
 * }
 * }</pre>
 */
public class ReversibleBeanValidator implements BeanPostProcessor, AopInfrastructureBean, BeanFactoryAware {

    private final ReversibleOperationSource source;
    private ConfigurableListableBeanFactory beanFactory;

    /** @param source the metadata cache to fill */
    public ReversibleBeanValidator(ReversibleOperationSource source) {
        this.source = source;
    }

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (!(bean instanceof AopInfrastructureBean)) {
            source.validate(ClassUtils.getUserClass(bean), beanName);
            if (beanFactory != null && beanFactory.containsBeanDefinition(beanName) && beanFactory.isSingleton(beanName)) {
                source.registerBean(bean, beanName);
            }
        }
        return bean;
    }

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        if (beanFactory instanceof ConfigurableListableBeanFactory listable) {
            this.beanFactory = listable;
        }
    }
}
