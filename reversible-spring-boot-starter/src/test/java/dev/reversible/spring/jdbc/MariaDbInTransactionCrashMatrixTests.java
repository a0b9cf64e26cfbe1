package dev.reversible.spring.jdbc;

/**
 * {@link InTransactionCrashMatrixTests} on the local MariaDB, each point in a database with a random name dropped
 * afterwards (the every-step-in-its-transaction points; the mixed ones run on H2); skipped, with the reason printed,
 * when no server answers.
 */
class MariaDbInTransactionCrashMatrixTests extends InTransactionCrashMatrixTests {

    @Override
    java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> points() {
        return inTransactionPoints();
    }

    @Override
    CrashMatrixTests.Target database(String name) {
        LocalServer.Database database = LocalServer.MARIADB.create();
        return new CrashMatrixTests.Target("mariadb", database.url(), database.user(), "", database);
    }
}
