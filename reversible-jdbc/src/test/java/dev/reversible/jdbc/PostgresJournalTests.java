package dev.reversible.jdbc;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/** The journal's contract on the local PostgreSQL, each test in a schema of its own; skipped when no server answers. */
class PostgresJournalTests extends JournalContractTests {

    private static String unavailable;

    @BeforeAll
    static void checkServer() {
        unavailable = TestDatabase.Postgres.unavailable();
        if (unavailable != null) {
            System.out.println("PostgresJournalTests skipped: " + unavailable);
        }
    }

    @Override
    TestDatabase openDatabase() {
        Assumptions.assumeTrue(unavailable == null, () -> "skipped: " + unavailable);
        return new TestDatabase.Postgres();
    }
}
