package dev.reversible.jdbc;

/** The journal's contract on an in-memory H2 database, always run. */
class H2JournalTests extends JournalContractTests {

    @Override
    TestDatabase openDatabase() {
        return new TestDatabase.H2();
    }
}
