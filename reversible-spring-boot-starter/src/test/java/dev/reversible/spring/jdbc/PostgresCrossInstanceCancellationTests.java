package dev.reversible.spring.jdbc;

import org.junit.jupiter.api.AfterEach;

/**
 * {@link CrossInstanceCancellationTests} on the local PostgreSQL, in a schema with a random name dropped afterwards;
 * skipped, with the reason printed, when no server answers.
 */
class PostgresCrossInstanceCancellationTests extends CrossInstanceCancellationTests {

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
