package dev.reversible.spring.jdbc;

import org.junit.jupiter.api.AfterEach;

/**
 * {@link SagaRecoveryTests} on the local PostgreSQL ({@code 127.0.0.1:5432/test}, trust authentication), in a
 * schema with a random name dropped afterwards — never tables of the server's own. Skipped, with the reason
 * printed, when no server answers.
 */
class PostgresSagaRecoveryTests extends SagaRecoveryTests {

    private LocalServer.Database schema;

    @Override
    String[] database() {
        schema = LocalServer.POSTGRESQL.create();
        return schema.properties("reversible.jdbc.initialize-schema=always");
    }

    @AfterEach
    void dropSchema() {
        if (schema != null) {
            schema.close();
        }
    }
}
