package dev.reversible.test;

import java.util.Optional;

import dev.reversible.test.sample.Shop;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A journal that loses every saga: each run whose rollback left a step pending must say so. */
@SpringBootTest
@AutoConfigureReversibleTest
class JournalLosingSagasTests {

    private static final String NL = System.lineSeparator();

    @Autowired
    SagaVerifier verifier;

    @Autowired
    Shop shop;

    @BeforeEach
    void resetShop() {
        shop.reset();
    }

    @Test
    void compensationFailureRunsReportASagaMissingFromTheJournal() {
        assertThatThrownBy(() -> verifier.forEachStep(() -> shop.placeOrder("alice", "BOOK", 1), shop::state))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("Saga Shop.placeOrder: 3 of 8 runs found a problem")
                .hasMessageContaining("  FAILED  the compensation of 'charge' failing on every attempt, the saga failing after its last step" + NL
                        + "    the durable journal has no saga ")
                .hasMessageContaining(": its pending steps are lost to the persistent retries and operators");
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class LosingJournal {

        /** The kit's own reader backs off for this one. */
        @Bean
        JournalReader losingJournalReader() {
            return sagaId -> Optional.empty();
        }
    }
}
