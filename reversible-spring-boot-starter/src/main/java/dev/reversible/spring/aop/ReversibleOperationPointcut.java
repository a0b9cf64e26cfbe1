package dev.reversible.spring.aop;

import java.lang.reflect.Method;

import dev.reversible.spring.metadata.ReversibleOperationSource;

import org.springframework.aop.ClassFilter;
import org.springframework.aop.support.StaticMethodMatcherPointcut;

/**
 * Matches the methods that have a saga or an action, as the {@link ReversibleOperationSource} says — the
 * shape of Spring's {@code TransactionAttributeSourcePointcut}. Pointcuts over the same source are equal,
 * as Spring's own are, so advisors built from them compare by what they match, not by instance.
 */
final class ReversibleOperationPointcut extends StaticMethodMatcherPointcut {

    private final ReversibleOperationSource source;

    ReversibleOperationPointcut(ReversibleOperationSource source) {
        this.source = source;
        setClassFilter(new OperationClassFilter(source));
    }

    @Override
    public boolean matches(Method method, Class<?> targetClass) {
        return source.find(method, targetClass) != null;
    }

    @Override
    public boolean equals(Object other) {
        return this == other || (other instanceof ReversibleOperationPointcut pointcut && source.equals(pointcut.source));
    }

    @Override
    public int hashCode() {
        return ReversibleOperationPointcut.class.hashCode() * 31 + source.hashCode();
    }

    @Override
    public String toString() {
        return getClass().getName() + ": " + source;
    }

    /** Skips a class without any saga or action before its methods are looked at one by one. */
    private record OperationClassFilter(ReversibleOperationSource source) implements ClassFilter {

        @Override
        public boolean matches(Class<?> type) {
            return source.hasOperations(type);
        }
    }
}
