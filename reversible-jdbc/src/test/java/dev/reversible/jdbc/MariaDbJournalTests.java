package dev.reversible.jdbc;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/** The journal's contract on the local MariaDB, each test in a database of its own; skipped when no server answers. */
class MariaDbJournalTests extends JournalContractTests {

    private static String unavailable;

    @BeforeAll
    static void checkServer() {
        unavailable = TestDatabase.MariaDb.unavailable();
        if (unavailable != null) {
            System.out.println("MariaDbJournalTests skipped: " + unavailable);
        }
    }

    @Override
    TestDatabase openDatabase() {
        Assumptions.assumeTrue(unavailable == null, () -> "skipped: " + unavailable);
        return new TestDatabase.MariaDb();
    }
}
