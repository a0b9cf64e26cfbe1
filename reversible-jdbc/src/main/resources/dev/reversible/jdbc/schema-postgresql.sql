-- reversible-jdbc journal schema, version 3, for PostgreSQL.
-- Copy it as is into a Flyway or Liquibase migration, or let reversible.jdbc.initialize-schema apply it.
-- Every table name starts with "reversible_": with another table prefix, replace that string throughout.
-- A journal at version 1 or 2 is upgraded by schema-upgrade-2-postgresql.sql and schema-upgrade-3-postgresql.sql (the initializer
-- applies them in order).

CREATE TABLE IF NOT EXISTS reversible_schema_version (
    version     INTEGER NOT NULL
);
INSERT INTO reversible_schema_version (version)
    SELECT 3 WHERE NOT EXISTS (SELECT 1 FROM reversible_schema_version);

-- One row per running application instance; heartbeat is written on the database's clock.
CREATE TABLE IF NOT EXISTS reversible_instances (
    id          VARCHAR(64)  NOT NULL PRIMARY KEY,
    name        VARCHAR(255) NOT NULL,
    started_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    heartbeat   TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE IF NOT EXISTS reversible_sagas (
    id              VARCHAR(100) NOT NULL PRIMARY KEY,
    name            VARCHAR(255) NOT NULL,
    status          VARCHAR(20)  NOT NULL,
    owner_instance  VARCHAR(64)  NOT NULL,
    owner_name      VARCHAR(255) NOT NULL,
    owner_epoch     BIGINT       NOT NULL,
    started_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    failed_step     VARCHAR(255),
    error_class     VARCHAR(500),
    error_message   TEXT,
    error_stack     TEXT,
    recovered       BOOLEAN      NOT NULL DEFAULT FALSE,
    note            TEXT,
    next_attempt_at TIMESTAMP WITH TIME ZONE,
    attempts        INTEGER      NOT NULL DEFAULT 0,
    cancel_requested BOOLEAN     NOT NULL DEFAULT FALSE
);
CREATE INDEX IF NOT EXISTS reversible_sagas_status_owner ON reversible_sagas (status, owner_instance);
CREATE INDEX IF NOT EXISTS reversible_sagas_status_updated ON reversible_sagas (status, updated_at);

CREATE TABLE IF NOT EXISTS reversible_steps (
    saga_id             VARCHAR(100) NOT NULL,
    step_index          INTEGER      NOT NULL,
    parent_index        INTEGER,
    bean_name           VARCHAR(255) NOT NULL,
    action_name         VARCHAR(255) NOT NULL,
    arguments           TEXT         NOT NULL,
    result              TEXT,
    status              VARCHAR(30)  NOT NULL,
    joined_transaction  BOOLEAN      NOT NULL DEFAULT FALSE,
    attempts            INTEGER      NOT NULL DEFAULT 0,
    error_class         VARCHAR(500),
    error_message       TEXT,
    error_stack         TEXT,
    started_at          TIMESTAMP WITH TIME ZONE,
    ended_at            TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY (saga_id, step_index)
);

-- One row per attempt of a step's compensation, in memory or persistent; written with the attempt's outcome.
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
