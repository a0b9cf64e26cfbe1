package dev.reversible.spring.jdbc;

import org.junit.jupiter.api.AfterEach;

/**
 * {@link PrefixedSchemaTests} on the local PostgreSQL ({@code 127.0.0.1:5432/test}, trust authentication), in a
 * schema with a random name dropped afterwards. Skipped, with the reason printed, when no server answers.
 */
class PostgresPrefixedSchemaTests extends PrefixedSchemaTests {

    private LocalServer.Database schema;

    @Override
    String[] database() {
        schema = LocalServer.POSTGRESQL.create();
        return schema.properties();
    }

    @AfterEach
    void dropSchema() {
        if (schema != null) {
            schema.close();
        }
    }
}
