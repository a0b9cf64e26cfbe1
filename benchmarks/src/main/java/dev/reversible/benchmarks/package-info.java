/**
 * JMH benchmarks of the core engine, each paired with the hand-written code it replaces, measured in
 * the same run: {@link dev.reversible.benchmarks.CoreBenchmarks} (a saga against an {@code ArrayDeque}
 * of undo lambdas) and {@link dev.reversible.benchmarks.CoreScaleBenchmarks} (cost per step from 10 to
 * 10,000 steps). {@code ratios.py} beside the module's pom turns JMH's JSON into the ratio table.
 */
package dev.reversible.benchmarks;
