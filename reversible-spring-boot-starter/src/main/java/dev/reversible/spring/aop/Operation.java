package dev.reversible.spring.aop;

import org.aopalliance.intercept.MethodInvocation;

/** What the interceptor does for one annotated method; built once per method and cached. */
sealed interface Operation permits SagaOperation, StepOperation, NoOperation {

    Object invoke(MethodInvocation invocation) throws Throwable;
}
