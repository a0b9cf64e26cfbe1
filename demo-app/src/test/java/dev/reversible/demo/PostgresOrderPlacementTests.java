package dev.reversible.demo;

import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@link OrderPlacementContract} on a real PostgreSQL server (profile {@code postgres}:
 * {@code jdbc:postgresql://127.0.0.1:5432/}, user {@code postgres}). Each test drops and re-seeds the demo's tables
 * in a database of this run's own there; every test is skipped, with the reason, when no server answers there.
 */
@ActiveProfiles("postgres")
@ExtendWith(RequirePostgres.class)
class PostgresOrderPlacementTests extends OrderPlacementContract {

    /** This run's own database, created by the demo on its first start: never a user's tables. */
    @DynamicPropertySource
    static void ownDatabase(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", RequirePostgres::databaseUrl);
    }
}
