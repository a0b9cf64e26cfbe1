/**
 * JMH benchmarks of the starter, each against what a Spring user already pays, in the same run and the
 * same application context: a step — and an asynchronous step — against the same method behind a no-op
 * {@code @Around} aspect or a no-op {@code MethodInterceptor}
 * ({@link dev.reversible.benchmarks.spring.SpringStepBenchmarks}), a 10-step saga against 10 calls
 * through no-op aspects and 10 {@code @Transactional} calls
 * ({@link dev.reversible.benchmarks.spring.SpringSagaBenchmarks}), and a context-propagating task
 * decoration in a saga against the same with none
 * ({@link dev.reversible.benchmarks.spring.SpringContextHopBenchmarks}).
 *
 * <p>The context is a plain {@code AnnotationConfigApplicationContext} importing
 * {@code ReversibleAutoConfiguration} ({@link dev.reversible.benchmarks.spring.BenchmarkApplication}):
 * the starter's aspect, executor, statistics and log listener exactly as auto-configuration builds them,
 * without depending on auto-configuration discovery inside the shaded jar.
 */
package dev.reversible.benchmarks.spring;
