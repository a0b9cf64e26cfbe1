package dev.reversible.spring.jdbc;

/**
 * {@link InTransactionCrashMatrixTests} on the local PostgreSQL, each point in a schema with a random name dropped
 * afterwards (the every-step-in-its-transaction points; the mixed ones run on H2); skipped, with the reason printed,
 * when no server answers.
 */
class PostgresInTransactionCrashMatrixTests extends InTransactionCrashMatrixTests {

    @Override
    java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> points() {
        return inTransactionPoints();
    }

    @Override
    CrashMatrixTests.Target database(String name) {
        LocalServer.Database database = LocalServer.POSTGRESQL.create();
        return new CrashMatrixTests.Target("postgresql", database.url(), database.user(), "", database);
    }
}
