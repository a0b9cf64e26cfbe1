package dev.reversible.spring.jdbc;

import org.junit.jupiter.api.AfterEach;

/**
 * {@link InstanceOwnershipTests} on the local PostgreSQL, in a schema with a random name dropped afterwards;
 * skipped, with the reason printed, when no server answers.
 */
class PostgresInstanceOwnershipTests extends InstanceOwnershipTests {

    private LocalServer.Database schema;

    @Override
    String[] database() {
        schema = LocalServer.POSTGRESQL.create();
        schema.execute(CrashShop.createTable("postgresql"));
        return schema.properties("reversible.jdbc.initialize-schema=always");
    }

    @AfterEach
    void dropSchema() {
        if (schema != null) {
            schema.close();
        }
    }
}
