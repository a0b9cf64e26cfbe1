package dev.reversible.spring.jdbc;

/**
 * {@link CrashMatrixTests} on the local PostgreSQL, each point in a schema with a random name dropped
 * afterwards; skipped, with the reason printed, when no server answers.
 */
class PostgresCrashMatrixTests extends CrashMatrixTests {

    @Override
    Target database(CrashPoint point) {
        LocalServer.Database database = LocalServer.POSTGRESQL.create();
        return new Target("postgresql", database.url(), database.user(), "", database);
    }
}
