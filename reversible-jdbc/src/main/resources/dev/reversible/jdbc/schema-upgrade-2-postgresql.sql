-- reversible-jdbc journal schema: the upgrade from version 1 to version 2, for PostgreSQL.
-- Adds when each step started and ended, and a row per compensation attempt. Idempotent: on a journal already at
-- version 2 it changes nothing. Applied after schema-postgresql.sql by reversible.jdbc.initialize-schema; with Flyway or
-- Liquibase, copy it as is as the migration that follows the one holding version 1's script.
-- Every table name starts with "reversible_": with another table prefix, replace that string throughout.

ALTER TABLE reversible_steps ADD COLUMN IF NOT EXISTS started_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE reversible_steps ADD COLUMN IF NOT EXISTS ended_at TIMESTAMP WITH TIME ZONE;

CREATE TABLE IF NOT EXISTS reversible_compensations (
    saga_id             VARCHAR(100) NOT NULL,
    step_index          INTEGER      NOT NULL,
    attempt             INTEGER      NOT NULL,
    started_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    ended_at            TIMESTAMP WITH TIME ZONE NOT NULL,
    outcome             VARCHAR(20)  NOT NULL,
    error_class         VARCHAR(500),
    error_message       TEXT,
    PRIMARY KEY (saga_id, step_index, attempt)
);

UPDATE reversible_schema_version SET version = 2 WHERE version < 2;
