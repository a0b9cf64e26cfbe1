/**
 * The durable journal wired into the starter (active when {@code reversible-jdbc} is on the class path and a
 * {@code DataSource} exists): every step of the executor's sagas is written ahead before its
 * {@code forwards} runs ({@link dev.reversible.spring.jdbc.JdbcStepJournal}), the sagas' ends and
 * rollbacks are recorded ({@link dev.reversible.spring.jdbc.JournalSagaListener}), and the sagas of dead
 * instances are claimed and compensated through the same handlers ({@link dev.reversible.spring.jdbc.SagaRecovery})
 * on the journal's own scheduler ({@link dev.reversible.spring.jdbc.JournalLifecycle}).
 */
package dev.reversible.spring.jdbc;
