package dev.reversible.test;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import dev.reversible.spring.CompensationContext;
import dev.reversible.spring.annotation.Compensate;
import dev.reversible.spring.annotation.ReversibleAction;
import dev.reversible.spring.metadata.ReversibleOperationSource;
import dev.reversible.spring.metadata.SagaSpec;

import org.aopalliance.aop.Advice;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.core.MethodClassKey;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;

/**
 * The advisor through which a {@link FailureInjector} makes actions, compensation handlers and sagas fail:
 * it matches every {@code @ReversibleAction}, {@code @Compensate} and {@code @ReversibleSaga} method and,
 * when an injection is due, throws its failure instead of proceeding. Ordered
 * {@link Ordered#LOWEST_PRECEDENCE}, so that it sits inside the saga aspect
 * ({@code reversible.aspect-order}, {@code LOWEST_PRECEDENCE - 1} by default): the aspect sees an injected
 * failure exactly as it would see the method's own.
 *
 * <pre>{@code
 * FailureInjectionAdvisor advisor = new FailureInjectionAdvisor(source, () -> injector);
 * }</pre>
 */
public final class FailureInjectionAdvisor extends AbstractPointcutAdvisor {

    private static final long serialVersionUID = 1L;

    private final transient InjectionPoints points;
    private final transient Pointcut pointcut;
    private final transient Advice advice;

    /**
     * @param source the starter's metadata, which names sagas exactly as the aspect does
     * @param injector the injector, looked up on first use (advisors are created before most beans)
     */
    public FailureInjectionAdvisor(ReversibleOperationSource source, Supplier<FailureInjector> injector) {
        this.points = new InjectionPoints(Objects.requireNonNull(source, "source must not be null"));
        this.pointcut = new StaticMethodMatcherPointcut() {
            @Override
            public boolean matches(Method method, Class<?> targetClass) {
                return points.find(method, targetClass) != InjectionPoint.NONE;
            }
        };
        this.advice = new FailureInjectionInterceptor(points, Objects.requireNonNull(injector, "injector must not be null"));
        setOrder(Ordered.LOWEST_PRECEDENCE);
    }

    @Override
    public Pointcut getPointcut() {
        return pointcut;
    }

    @Override
    public Advice getAdvice() {
        return advice;
    }

    /** Where a failure may be injected: the kind of method and the name it is injected by. */
    record InjectionPoint(Injection.Target target, String name, boolean asynchronous) {

        /** The cached miss. */
        static final InjectionPoint NONE = new InjectionPoint(null, "", false);
    }

    /** Reads the annotations once per method and target class; misses are cached too. */
    static final class InjectionPoints {

        private final ReversibleOperationSource source;
        private final Map<MethodClassKey, InjectionPoint> cache = new ConcurrentHashMap<>();

        InjectionPoints(ReversibleOperationSource source) {
            this.source = source;
        }

        InjectionPoint find(Method method, Class<?> targetClass) {
            return cache.computeIfAbsent(new MethodClassKey(method, targetClass), key -> parse(method, targetClass));
        }

        private InjectionPoint parse(Method method, Class<?> targetClass) {
            Class<?> userClass = targetClass == null ? method.getDeclaringClass() : ClassUtils.getUserClass(targetClass);
            Method specific = AopUtils.getMostSpecificMethod(method, userClass);
            boolean asynchronous = CompletionStage.class.isAssignableFrom(specific.getReturnType());
            ReversibleAction action = AnnotatedElementUtils.findMergedAnnotation(specific, ReversibleAction.class);
            if (action != null) {
                return new InjectionPoint(Injection.Target.ACTION, action.value().isEmpty() ? specific.getName() : action.value(), asynchronous);
            }
            Compensate compensate = AnnotatedElementUtils.findMergedAnnotation(specific, Compensate.class);
            if (compensate != null) {
                return new InjectionPoint(Injection.Target.COMPENSATION, compensate.value(), asynchronous);
            }
            // Saga names follow rules of their own (class-level names, user class names): the starter's metadata knows them.
            if (source.find(method, userClass) instanceof SagaSpec saga) {
                return new InjectionPoint(Injection.Target.SAGA_RETURN, saga.name(), asynchronous);
            }
            return InjectionPoint.NONE;
        }
    }

    /** Throws a due injection's failure instead of proceeding; proceeds otherwise. */
    static final class FailureInjectionInterceptor implements MethodInterceptor {

        private final InjectionPoints points;
        private final Supplier<FailureInjector> injector;

        FailureInjectionInterceptor(InjectionPoints points, Supplier<FailureInjector> injector) {
            this.points = points;
            this.injector = injector;
        }

        @Override
        public Object invoke(MethodInvocation invocation) throws Throwable {
            Class<?> targetClass = invocation.getThis() == null ? null : AopUtils.getTargetClass(invocation.getThis());
            InjectionPoint point = points.find(invocation.getMethod(), targetClass);
            if (point == InjectionPoint.NONE) {
                return invocation.proceed();
            }
            FailureInjector injector = this.injector.get();
            return switch (point.target()) {
                case ACTION -> failOrProceed(injector.onAction(point.name()), point, invocation);
                case COMPENSATION -> failOrProceed(injector.onCompensation(point.name(), attempt(invocation.getArguments())), point, invocation);
                case SAGA_RETURN -> failOnReturn(injector, point, invocation);
            };
        }

        private static Object failOrProceed(Throwable failure, InjectionPoint point, MethodInvocation invocation) throws Throwable {
            if (failure == null) {
                return invocation.proceed();
            }
            if (point.asynchronous()) {
                return CompletableFuture.failedFuture(failure);
            }
            throw failure;
        }

        /** The body runs to its end (for an asynchronous saga: its future completes), then the saga fails. */
        private static Object failOnReturn(FailureInjector injector, InjectionPoint point, MethodInvocation invocation) throws Throwable {
            Object result = invocation.proceed();
            if (point.asynchronous() && result instanceof CompletionStage<?> stage) {
                return stage.thenCompose(value -> {
                    Throwable failure = injector.onSagaReturn(point.name());
                    return failure == null ? CompletableFuture.completedFuture(value) : CompletableFuture.failedFuture(failure);
                });
            }
            Throwable failure = injector.onSagaReturn(point.name());
            if (failure != null) {
                throw failure;
            }
            return result;
        }

        private static int attempt(Object[] arguments) {
            for (Object argument : arguments) {
                if (argument instanceof CompensationContext context) {
                    return context.attempt();
                }
            }
            return 0;
        }
    }
}
