package dev.reversible.benchmarks.spring;

import org.aspectj.lang.ProceedingJoinPoint;
import org.aspectj.lang.annotation.Around;
import org.aspectj.lang.annotation.Aspect;

/** An {@code @Around} advice that only proceeds: the cost of a proxy and an aspect, nothing else. */
@Aspect
public class NoOpAspect {

    /**
     * @param call the advised call
     * @return what the call returns
     * @throws Throwable what the call throws
     */
    @Around("@annotation(dev.reversible.benchmarks.spring.NoOpAdvised)")
    public Object proceed(ProceedingJoinPoint call) throws Throwable {
        return call.proceed();
    }
}
