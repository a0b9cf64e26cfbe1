/**
 * JMH benchmarks of the starter, each against what a Spring user already pays, in the same run and the
 * same application context: a step against the same method behind a no-op {@code @Around} aspect
 * ({@link dev.reversible.benchmarks.spring.SpringStepBenchmarks}), and a 10-step saga against 10 calls
 * through no-op aspects and 10 {@code @Transactional} calls
 * ({@link dev.reversible.benchmarks.spring.SpringSagaBenchmarks}).
 *
 * <p>The context is a plain {@code AnnotationConfigApplicationContext} importing
 * {@code ReversibleAutoConfiguration} ({@link dev.reversible.benchmarks.spring.BenchmarkApplication}):
 * the starter's aspect, executor, statistics and log listener exactly as auto-configuration builds them,
 * without depending on auto-configuration discovery inside the shaded jar.
 */
package dev.reversible.benchmarks.spring;
