package dev.reversible.benchmarks.spring;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.Advisor;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;

/**
 * A {@code MethodInterceptor} that only proceeds: the cost of a proxy and one interceptor, nothing else —
 * the shape of the starter's own advice ({@code ReversibleAdvisor} is a plain pointcut advisor with a
 * {@code MethodInterceptor}), applied by the same auto-proxy creator.
 */
public class NoOpInterceptor implements MethodInterceptor {

    /** @return an advisor applying a no-op interceptor to every method annotated {@link NoOpIntercepted} */
    public static Advisor advisor() {
        return new DefaultPointcutAdvisor(AnnotationMatchingPointcut.forMethodAnnotation(NoOpIntercepted.class), new NoOpInterceptor());
    }

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        return invocation.proceed();
    }
}
