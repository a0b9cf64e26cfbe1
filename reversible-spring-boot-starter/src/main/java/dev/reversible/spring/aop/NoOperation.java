package dev.reversible.spring.aop;

import org.aopalliance.intercept.MethodInvocation;

/** A method without saga or action (cached, so that misses cost no second look-up): just proceeds. */
enum NoOperation implements Operation {

    INSTANCE;

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        return invocation.proceed();
    }
}
