package dev.reversible.spring.jdbc;

/**
 * {@link ReleaseUpgradeTests} on the local PostgreSQL, in a database of its own with a random name, dropped
 * afterwards; skipped, with the reason printed, when no server answers.
 */
class PostgresReleaseUpgradeTests extends ReleaseUpgradeTests {

    @Override
    String[] database() {
        LocalServer.Database schema = LocalServer.POSTGRESQL.create();
        onDrop(schema);
        return new String[] { schema.url(), schema.user(), "" };
    }
}
