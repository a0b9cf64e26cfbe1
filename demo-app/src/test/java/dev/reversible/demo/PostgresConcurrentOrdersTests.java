package dev.reversible.demo;

import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.test.context.ActiveProfiles;

/**
 * {@link ConcurrentOrdersTests} on a real PostgreSQL server, whose row locks (not H2's) now decide who
 * gets the last unit; skipped, with the reason, when no server answers.
 */
@ActiveProfiles("postgres")
@ExtendWith(RequirePostgres.class)
class PostgresConcurrentOrdersTests extends ConcurrentOrdersTests {
}
