-- reversible-jdbc journal schema: the upgrade from version 2 to version 3, for H2.
-- Adds the cancellation request an operator leaves on a running saga for the instance that runs it. Idempotent: on a
-- journal already at version 3 it changes nothing. Applied after schema-h2.sql and schema-upgrade-2-h2.sql by
-- reversible.jdbc.initialize-schema; with Flyway or Liquibase, copy it as is as the migration that follows version 2's.
-- Every table name starts with "reversible_": with another table prefix, replace that string throughout.

ALTER TABLE reversible_sagas ADD COLUMN IF NOT EXISTS cancel_requested BOOLEAN NOT NULL DEFAULT FALSE;

UPDATE reversible_schema_version SET version = 3 WHERE version < 3;
