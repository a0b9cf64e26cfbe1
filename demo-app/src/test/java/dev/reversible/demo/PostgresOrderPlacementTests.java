package dev.reversible.demo;

import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.test.context.ActiveProfiles;

/**
 * {@link OrderPlacementContract} on a real PostgreSQL server (profile {@code postgres}:
 * {@code jdbc:postgresql://127.0.0.1:5432/test}, user {@code postgres}). Each test drops and re-seeds the
 * demo's tables in that database; every test is skipped, with the reason, when no server answers there.
 */
@ActiveProfiles("postgres")
@ExtendWith(RequirePostgres.class)
class PostgresOrderPlacementTests extends OrderPlacementContract {
}
