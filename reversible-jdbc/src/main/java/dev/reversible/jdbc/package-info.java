/**
 * The durable saga journal on any JDBC database (H2, PostgreSQL, MariaDB): write-ahead step records,
 * instance heartbeats on the database's clock, claims of dead instances' sagas with
 * {@code SELECT … FOR UPDATE SKIP LOCKED}, epoch fencing, persistent retry bookkeeping, operator
 * transitions and purge.
 *
 * <p>Entry point: {@link dev.reversible.jdbc.JdbcJournal}, from which the four services are made —
 * {@link dev.reversible.jdbc.InstanceRegistry} (who is alive), {@link dev.reversible.jdbc.SagaJournal}
 * (the write path of a saga's life, through {@link dev.reversible.jdbc.JournaledSaga}),
 * {@link dev.reversible.jdbc.SagaClaims} (recovery) and {@link dev.reversible.jdbc.StoredSagas}
 * (queries, operator actions, purge). Arguments and results go through {@link dev.reversible.jdbc.JournalJson}.
 *
 * <p>This package has no Spring Boot import: the starter wires it.
 */
package dev.reversible.jdbc;
