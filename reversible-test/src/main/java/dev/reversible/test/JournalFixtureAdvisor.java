package dev.reversible.test;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import dev.reversible.spring.annotation.ReversibleAction;
import dev.reversible.spring.metadata.ActionSpec;
import dev.reversible.spring.metadata.ReversibleOperationSource;

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
 * The advisor through which a {@link JournalFixtureRecorder} sees actions' arguments and results: it matches every
 * {@code @ReversibleAction} method and, while the recorder still needs an example of that action, writes the
 * arguments before the call (as the journal writes a step's start) and hands over the result when the call completes
 * (for an asynchronous action, the value its future completes with). Ordered {@link Ordered#LOWEST_PRECEDENCE}, like
 * the {@link FailureInjectionAdvisor}, so that it sits inside the saga aspect: it sees only calls that ran as steps.
 * The bean's name and the action's spec are the starter's own ({@link ReversibleOperationSource}), as the journal
 * records them.
 */
final class JournalFixtureAdvisor extends AbstractPointcutAdvisor {

    private static final long serialVersionUID = 1L;

    private final transient Pointcut pointcut;
    private final transient Advice advice;

    /**
     * @param source the starter's metadata: the actions' names and the beans' names
     * @param recorder the recorder, looked up on first use (advisors are created before most beans)
     */
    JournalFixtureAdvisor(ReversibleOperationSource source, Supplier<JournalFixtureRecorder> recorder) {
        Objects.requireNonNull(source, "source must not be null");
        Objects.requireNonNull(recorder, "recorder must not be null");
        Map<MethodClassKey, Boolean> actions = new ConcurrentHashMap<>();
        this.pointcut = new StaticMethodMatcherPointcut() {
            @Override
            public boolean matches(Method method, Class<?> targetClass) {
                return actions.computeIfAbsent(new MethodClassKey(method, targetClass), key -> {
                    Class<?> userClass = targetClass == null ? method.getDeclaringClass() : ClassUtils.getUserClass(targetClass);
                    return AnnotatedElementUtils.hasAnnotation(AopUtils.getMostSpecificMethod(method, userClass), ReversibleAction.class);
                });
            }
        };
        this.advice = new RecordingInterceptor(source, recorder);
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

    /** Records the first completed call of each durable action of a singleton bean; proceeds in every case. */
    private static final class RecordingInterceptor implements MethodInterceptor {

        private final ReversibleOperationSource source;
        private final Supplier<JournalFixtureRecorder> recorder;

        RecordingInterceptor(ReversibleOperationSource source, Supplier<JournalFixtureRecorder> recorder) {
            this.source = source;
            this.recorder = recorder;
        }

        @Override
        public Object invoke(MethodInvocation invocation) throws Throwable {
            Object target = invocation.getThis();
            if (target == null || !(source.find(invocation.getMethod(), AopUtils.getTargetClass(target)) instanceof ActionSpec action)
                    || !action.durable()) {
                return invocation.proceed();
            }
            JournalFixtureRecorder recorder = this.recorder.get();
            // The journal's name for the bean: null for a prototype or scoped bean, which recovery cannot find again.
            String beanName = source.beanName(target);
            String arguments = beanName == null || !recorder.wants(action.name()) ? null : recorder.arguments(invocation.getArguments());
            if (arguments == null) {
                return invocation.proceed();
            }
            Object result = invocation.proceed();
            if (result instanceof CompletionStage<?> stage) {
                stage.whenComplete((value, failure) -> {
                    if (failure == null) {
                        recorder.completed(beanName, action.name(), arguments, value);
                    }
                });
            }
            else {
                recorder.completed(beanName, action.name(), arguments, result);
            }
            return result;
        }
    }
}
