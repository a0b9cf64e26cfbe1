package dev.reversible.spring.jdbc;

import org.junit.jupiter.api.AfterEach;

/**
 * {@link InstanceOwnershipTests} on the local MariaDB, in a database with a random name dropped afterwards;
 * skipped, with the reason printed, when no server answers.
 */
class MariaDbInstanceOwnershipTests extends InstanceOwnershipTests {

    private LocalServer.Database schema;

    @Override
    String[] database() {
        schema = LocalServer.MARIADB.create();
        schema.execute(CrashShop.createTable("mariadb"));
        return schema.properties("reversible.jdbc.initialize-schema=always");
    }

    @AfterEach
    void dropSchema() {
        if (schema != null) {
            schema.close();
        }
    }
}
