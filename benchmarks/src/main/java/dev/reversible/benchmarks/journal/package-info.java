/**
 * The durable journal's benchmarks, on the local PostgreSQL in a schema of their own: the demo's saga with
 * and without the journal, the journal's commits per step, and recovery throughput.
 */
package dev.reversible.benchmarks.journal;
