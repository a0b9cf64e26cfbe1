/**
 * The durable journal wired into the starter (active when {@code reversible-jdbc} is on the class path and a
 * {@code DataSource} exists): the executor records every saga through the core's journal SPI
 * ({@link dev.reversible.core.SagaJournal}), implemented on the database by
 * {@link dev.reversible.spring.jdbc.JdbcStepJournal} — each step written ahead before its {@code forwards}
 * runs, each compensation attempt and the saga's end as they happen — and the sagas of dead instances are
 * claimed and rolled back by the core's own engine ({@link dev.reversible.core.SagaExecutor#rollBack}) through
 * the same handlers ({@link dev.reversible.spring.jdbc.SagaRecovery}) on the journal's own scheduler
 * ({@link dev.reversible.spring.jdbc.JournalLifecycle}).
 */
package dev.reversible.spring.jdbc;
