package dev.reversible.demo;

import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@link ConcurrentOrdersTests} on a real PostgreSQL server, whose row locks (not H2's) now decide who
 * gets the last unit; skipped, with the reason, when no server answers.
 */
@ActiveProfiles("postgres")
@ExtendWith(RequirePostgres.class)
class PostgresConcurrentOrdersTests extends ConcurrentOrdersTests {

    /** This run's own database, created by the demo on its first start: never a user's tables. */
    @DynamicPropertySource
    static void ownDatabase(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", RequirePostgres::databaseUrl);
    }
}
