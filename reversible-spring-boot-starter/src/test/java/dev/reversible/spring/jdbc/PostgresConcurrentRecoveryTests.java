package dev.reversible.spring.jdbc;

import org.junit.jupiter.api.AfterEach;

/**
 * {@link ConcurrentRecoveryTests} on the local PostgreSQL, in a schema with a random name dropped afterwards —
 * where a compensation's mark is one statement. Skipped, with the reason printed, when no server answers.
 */
class PostgresConcurrentRecoveryTests extends ConcurrentRecoveryTests {

    private LocalServer.Database schema;

    @Override
    String[] database() {
        schema = LocalServer.POSTGRESQL.create();
        return schema.properties();
    }

    @Override
    String platform() {
        return "postgresql";
    }

    @AfterEach
    void dropSchema() {
        if (schema != null) {
            schema.close();
        }
    }
}
