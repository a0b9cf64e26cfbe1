package dev.reversible.spring.aop;

import java.lang.reflect.Method;
import java.util.function.BiPredicate;
import java.util.function.Predicate;

import dev.reversible.spring.annotation.StepRecord;
import dev.reversible.spring.metadata.ActionSpec;
import dev.reversible.spring.metadata.ReturnTypes;
import dev.reversible.spring.metadata.ReversibleOperationSource;
import dev.reversible.spring.metadata.SagaSpec;

import org.aopalliance.aop.Advice;
import org.springframework.aop.Advisor;
import org.springframework.aop.Pointcut;
import org.springframework.aop.PointcutAdvisor;
import org.springframework.aop.interceptor.AsyncExecutionInterceptor;
import org.springframework.aop.TargetSource;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.framework.AopInfrastructureBean;
import org.springframework.aop.support.StaticMethodMatcherPointcutAdvisor;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.resilience.retry.AbstractRetryInterceptor;

/**
 * Stacks the saga aspect outside Spring's {@code @Async} advice for actions (an asynchronous action takes
 * its place in the saga when it is called, on the caller's thread), and around Spring's retry advice so that a {@code @Retryable @ReversibleAction} is one step
 * whose {@code forwards} spans every attempt (compensated once, if at all), and a
 * {@code @Retryable @ReversibleSaga} is retried as a whole saga (each failed attempt rolled back before the
 * next one) — whichever order Spring applied them in.
 *
 * <p>Why a post-processor, not an advisor order: Spring Framework 7's {@code RetryAnnotationBeanPostProcessor}
 * (registered by {@code @EnableResilientMethods}) is an {@code AbstractAdvisingBeanPostProcessor} built with
 * {@code beforeExistingAdvisors = true}, and its advisor is no bean, so the auto-proxy creator, which sorts
 * the {@link ReversibleAdvisor} among the advisor beans by {@code reversible.aspect-order}, never sees it.
 * Which of the two ends up outside depends on the order of the post-processors, not of the advisors:
 * <ul>
 * <li>the retry post-processor after the auto-proxy creator (the default: the creator's order is
 * {@code HIGHEST_PRECEDENCE}, {@code @EnableResilientMethods(order)} defaults to {@code LOWEST_PRECEDENCE})
 * adds its advisor at index 0 of the creator's proxy, outside every advisor there, whatever their order.
 * Each attempt of an action would be a step of its own, failed and compensated before the next attempt;</li>
 * <li>the retry post-processor first (its order raised to the creator's) makes a proxy of its own, and the
 * creator wraps that proxy in another: the aspect is outside, and each attempt of a saga would add its steps
 * to one saga that never rolls the earlier attempts back;</li>
 * <li>an application's own retry advisor bean (a {@code SimpleRetryInterceptor}) is sorted with the aspect by
 * order, and is outside or inside it on the same proxy.</li>
 * </ul>
 *
 * <p>So this post-processor looks at each bean once the ordered post-processors have advised it (it is
 * deliberately not {@link org.springframework.core.Ordered Ordered}: Spring applies unordered post-processors
 * after all ordered ones) and splits the aspect where it sits on the wrong side: where the retry advisor is
 * in front of the aspect, the same {@link ReversibleInterceptor} goes in front of it for the retried actions;
 * where the aspect is outside the retry, the interceptor goes right after the retry advisor (in the inner
 * proxy, when there are two) for the retried sagas. A retry is recognised by its advice, an
 * {@code AbstractRetryInterceptor}. Every other method keeps the aspect where it was, so its order relative to {@code @Transactional} stays what
 * {@code reversible.aspect-order} made it. A frozen proxy cannot be changed and is left as it is.
 *
 * <pre>{@code
 * @Retryable(maxRetries = 2)
 * @ReversibleAction
 * public Payment charge(String order) { ... }   // one step, however many attempts
 * }</pre>
 */
// AopInfrastructureBean, as Spring's own proxy post-processors: never proxied, and creating it looks up no advisors.
public class AdvisorOrderPostProcessor implements BeanPostProcessor, AopInfrastructureBean {

    private final ReversibleOperationSource source;
    private final Predicate<Object> transactionAdvice;

    /**
     * Without transactions on the class path.
     * @param source tells actions from sagas
     */
    public AdvisorOrderPostProcessor(ReversibleOperationSource source) {
        this(source, advice -> false);
    }

    /**
     * @param source tells actions from sagas
     * @param transactionAdvice recognises the advice of Spring's {@code @Transactional} (a {@code TransactionInterceptor}),
     *     inside which {@code StepRecord.IN_TRANSACTION} actions are moved
     */
    public AdvisorOrderPostProcessor(ReversibleOperationSource source, Predicate<Object> transactionAdvice) {
        this.source = source;
        this.transactionAdvice = transactionAdvice;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof Advised advised && !advised.isFrozen()) {
            moveAsyncActionsOut(advised);
            Advisor[] advisors = advised.getAdvisors();
            int retry = indexOfRetry(advisors);
            int aspect = indexOfAspect(advisors);
            if (aspect < 0) {
                return bean;
            }
            if (retry >= 0 && aspect > retry) {
                moveRetriedActionsOut(advised, advisors[retry], (PointcutAdvisor) advisors[aspect]);
            }
            else if (retry >= 0) {
                // A retry advisor bean ordered after the aspect: same proxy, saga side to fix.
                moveRetriedSagasIn(advised, (PointcutAdvisor) advisors[aspect], advised);
            }
            else {
                Advised inner = retryProxy(advised);
                if (inner != null) {
                    moveRetriedSagasIn(advised, (PointcutAdvisor) advisors[aspect], inner);
                }
            }
            moveInTransactionActionsIn(advised);
        }
        return bean;
    }

    /**
     * {@code @ReversibleAction(record = StepRecord.IN_TRANSACTION)}: the step's record is written in the step's own
     * transaction, so the step must take its place once that transaction is active — inside the transaction
     * advice, not around it as {@code reversible.aspect-order} places it for every other method. So the aspect goes
     * right after the transaction advisor for the synchronous actions declared so that it advises (what is left of
     * the aspect where it was: a retried action stays outside its retry, an {@code @Async} one outside the
     * executor — their record is then written ahead, with the journal's warning). Called through
     * {@link InTransactionStepInterceptor}, the step knows where it stands.
     */
    private void moveInTransactionActionsIn(Advised advised) {
        Advisor[] advisors = advised.getAdvisors();
        int aspect = indexOfAspect(advisors);
        int transaction = -1;
        for (int i = 0; i < advisors.length && transaction < 0; i++) {
            if (transactionAdvice.test(advisors[i].getAdvice())) {
                transaction = i;
            }
        }
        if (aspect < 0 || transaction < 0 || !(advisors[aspect].getAdvice() instanceof ReversibleInterceptor interceptor)) {
            return;
        }
        Advisor transactionAdvisor = advisors[transaction];
        PointcutAdvisor main = (PointcutAdvisor) advisors[aspect];
        BiPredicate<Method, Class<?>> inTransaction = (method, targetClass) -> matches(transactionAdvisor, method, targetClass)
                && main.getPointcut().getMethodMatcher().matches(method, targetClass)
                && source.find(method, targetClass) instanceof ActionSpec action && action.record() == StepRecord.IN_TRANSACTION
                && !ReturnTypes.isAsynchronous(method);
        advised.replaceAdvisor(main, new PartialAdvisor(main, inTransaction.negate(), "all but in-transaction records", true));
        advised.addAdvisor(advised.indexOf(transactionAdvisor) + 1, new PartialAdvisor(main, new InTransactionStepInterceptor(interceptor),
                inTransaction, "in-transaction records, inside the transaction advice", false));
    }

    /**
     * {@code @Async} (its post-processor, too, puts its advisor in front of existing ones): an asynchronous
     * action must take its place in the saga on the caller's thread, when it is called — not later, on a
     * pool thread, when the saga may have ended. So the aspect goes in front of the async advisor for the
     * actions it makes asynchronous; the call's future is then the step's.
     */
    private void moveAsyncActionsOut(Advised advised) {
        Advisor[] advisors = advised.getAdvisors();
        int async = -1;
        for (int i = 0; i < advisors.length && async < 0; i++) {
            if (advisors[i].getAdvice() instanceof AsyncExecutionInterceptor) {
                async = i;
            }
        }
        int aspect = indexOfAspect(advisors);
        if (async < 0 || aspect < async) {
            return;
        }
        Advisor asyncAdvisor = advisors[async];
        PointcutAdvisor main = (PointcutAdvisor) advisors[aspect];
        BiPredicate<Method, Class<?>> asyncAction = (method, targetClass) -> matches(asyncAdvisor, method, targetClass)
                && source.find(method, targetClass) instanceof ActionSpec;
        advised.replaceAdvisor(main, new PartialAdvisor(main, asyncAction.negate(), "all but @Async actions", true));
        advised.addAdvisor(advised.indexOf(asyncAdvisor), new PartialAdvisor(main, asyncAction, "@Async actions, outside the async executor", false));
    }

    /** One proxy, the retry advisor in front: the aspect goes in front of it for retried actions only. */
    private void moveRetriedActionsOut(Advised advised, Advisor retry, PointcutAdvisor aspect) {
        BiPredicate<Method, Class<?>> retriedAction = (method, targetClass) -> matches(retry, method, targetClass)
                && source.find(method, targetClass) instanceof ActionSpec;
        // Both parts share the one interceptor (and its per-method cache); no method matches both.
        advised.replaceAdvisor(aspect, new PartialAdvisor(aspect, retriedAction.negate(), "all but retried actions", true));
        advised.addAdvisor(advised.indexOf(retry), new PartialAdvisor(aspect, retriedAction, "retried actions, outside the retry", false));
    }

    /**
     * The aspect outside the retry, on the same proxy or on a proxy around the retry's proxy ({@code inner}):
     * retried sagas move inside, right after the retry advisor.
     */
    private void moveRetriedSagasIn(Advised advised, PointcutAdvisor aspect, Advised inner) {
        Advisor[] innerAdvisors = inner.getAdvisors();
        Advisor retry = innerAdvisors[indexOfRetry(innerAdvisors)];
        BiPredicate<Method, Class<?>> retriedSaga = (method, targetClass) -> matches(retry, method, targetClass)
                && source.find(method, targetClass) instanceof SagaSpec;
        advised.replaceAdvisor(aspect, new PartialAdvisor(aspect, retriedSaga.negate(), "all but retried sagas", true));
        inner.addAdvisor(inner.indexOf(retry) + 1, new PartialAdvisor(aspect, retriedSaga, "retried sagas, inside the retry", false));
    }

    private static int indexOfRetry(Advisor[] advisors) {
        for (int i = 0; i < advisors.length; i++) {
            if (advisors[i].getAdvice() instanceof AbstractRetryInterceptor) {
                return i;
            }
        }
        return -1;
    }

    private static int indexOfAspect(Advisor[] advisors) {
        for (int i = 0; i < advisors.length; i++) {
            if (advisors[i] instanceof ReversibleAdvisor || advisors[i] instanceof PartialAdvisor partial && partial.remainder) {
                return i;
            }
        }
        return -1;
    }

    /** @return the proxy this proxy wraps, when it is an unfrozen proxy with a retry advisor, else {@code null} */
    private static Advised retryProxy(Advised advised) {
        TargetSource targetSource = advised.getTargetSource();
        if (!targetSource.isStatic()) {
            return null;
        }
        try {
            return targetSource.getTarget() instanceof Advised inner && !inner.isFrozen() && indexOfRetry(inner.getAdvisors()) >= 0 ? inner : null;
        }
        catch (Exception ex) {
            // A static target source hands out the one target it holds; one that cannot is left alone.
            return null;
        }
    }

    /**
     * Whether an advisor advises the method. Spring's retry, async and transaction advisors are static pointcut
     * advisors; any other kind is taken to advise every method.
     */
    private static boolean matches(Advisor other, Method method, Class<?> targetClass) {
        if (!(other instanceof PointcutAdvisor advisor)) {
            return true;
        }
        Pointcut pointcut = advisor.getPointcut();
        return pointcut.getClassFilter().matches(targetClass) && pointcut.getMethodMatcher().matches(method, targetClass);
    }

    /** The saga aspect's advice on a subset of the methods the {@link ReversibleAdvisor} matches. */
    private static final class PartialAdvisor extends StaticMethodMatcherPointcutAdvisor {

        private static final long serialVersionUID = 1L;

        private final transient Pointcut aspect;
        private final transient BiPredicate<Method, Class<?>> subset;
        private final String description;
        /** Whether this is what is left of the aspect where it was, which a later move may split again. */
        private final boolean remainder;

        PartialAdvisor(PointcutAdvisor aspect, BiPredicate<Method, Class<?>> subset, String description, boolean remainder) {
            this(aspect, aspect.getAdvice(), subset, description, remainder);
        }

        PartialAdvisor(PointcutAdvisor aspect, Advice advice, BiPredicate<Method, Class<?>> subset, String description, boolean remainder) {
            super(advice);
            this.aspect = aspect.getPointcut();
            this.subset = subset;
            this.description = description;
            this.remainder = remainder;
            setClassFilter(this.aspect.getClassFilter());
            setOrder(((org.springframework.core.Ordered) aspect).getOrder());
        }

        @Override
        public boolean matches(Method method, Class<?> targetClass) {
            return aspect.getMethodMatcher().matches(method, targetClass) && subset.test(method, targetClass);
        }

        @Override
        public String toString() {
            return "ReversibleAdvisor (" + description + ")";
        }
    }
}
