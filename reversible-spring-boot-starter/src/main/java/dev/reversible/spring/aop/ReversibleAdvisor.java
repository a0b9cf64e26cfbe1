package dev.reversible.spring.aop;

import dev.reversible.spring.metadata.ReversibleOperationSource;

import org.aopalliance.aop.Advice;
import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;

/**
 * The infrastructure advisor that applies {@link ReversibleInterceptor} to every bean method with a saga
 * or action — the same shape as Spring's {@code BeanFactoryTransactionAttributeSourceAdvisor}. Its order
 * ({@code reversible.aspect-order}) places the saga boundary relative to {@code @Transactional}.
 *
 * <pre>{@code
 * ReversibleAdvisor advisor = new ReversibleAdvisor(source, interceptor);
 * advisor.setOrder(Ordered.LOWEST_PRECEDENCE - 1);   // wraps @Transactional (LOWEST_PRECEDENCE)
 * }</pre>
 */
public class ReversibleAdvisor extends AbstractPointcutAdvisor {

    private static final long serialVersionUID = 1L;

    private final transient Pointcut pointcut;
    private final transient Advice advice;

    /**
     * @param source decides which methods are sagas or actions
     * @param interceptor the advice
     */
    public ReversibleAdvisor(ReversibleOperationSource source, ReversibleInterceptor interceptor) {
        this.advice = interceptor;
        this.pointcut = new ReversibleOperationPointcut(source);
    }

    @Override
    public Pointcut getPointcut() {
        return pointcut;
    }

    @Override
    public Advice getAdvice() {
        return advice;
    }
}
