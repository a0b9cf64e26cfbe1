package dev.reversible.test;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The kit's own sample shop checks its committed journal fixture ({@code src/test/resources/reversible/journal-fixture.json},
 * recorded by {@code JournaledShopTests} with {@code -Dreversible.test.fixture.record=true}) on every build, as a user's
 * application would: the example of the testing guide.
 */
// tag::check[]
@SpringBootTest(properties = "reversible.jdbc.enabled=true")
@AutoConfigureReversibleTest
class JournalCompatibilityTests {

    @Autowired
    JournalFixtureCheck fixtureCheck;

    @Test
    void everyEntryOfTheCommittedJournalFixtureIsStillCompensable() {
        fixtureCheck.assertCompensable(JournalFixture.path());   // src/test/resources/reversible/journal-fixture.json
    }
}
// end::check[]
