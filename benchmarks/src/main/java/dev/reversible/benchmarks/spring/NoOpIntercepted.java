package dev.reversible.benchmarks.spring;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method for {@link NoOpInterceptor}: the true proxy floor, a plain Spring AOP advisor of the kind
 * the starter itself registers, with no AspectJ machinery in the call.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface NoOpIntercepted {
}
