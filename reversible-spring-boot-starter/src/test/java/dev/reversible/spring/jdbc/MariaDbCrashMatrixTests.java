package dev.reversible.spring.jdbc;

/**
 * {@link CrashMatrixTests} on the local MariaDB, each point in a database with a random name dropped afterwards;
 * skipped, with the reason printed, when no server answers.
 */
class MariaDbCrashMatrixTests extends CrashMatrixTests {

    @Override
    Target database(CrashPoint point) {
        LocalServer.Database database = LocalServer.MARIADB.create();
        return new Target("mariadb", database.url(), database.user(), "", database);
    }
}
