package dev.reversible.benchmarks.journal;

import java.util.concurrent.TimeUnit;

import dev.reversible.spring.jdbc.JdbcStepJournal;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Rows (8), (9) and (13), the journal on PostgreSQL: the demo's three-step saga ({@link JournalShop}: reserve →
 * charge → ship) with the journal ({@code journal=true}) and without it ({@code journal=false}), the same
 * application otherwise, for each {@link JournalShop.Shape} of steps ({@code steps}): each committing one row of its
 * own in its own transaction, recorded in that transaction (row 8) or write-ahead, or touching no database (row 13:
 * the journal's bare cost per step). The auxiliary counters {@code sagas} and {@code commits} count the
 * transactions each saga committed, its steps' own included: the journal's share is the difference between the two
 * runs (row 9: one per saga when every step is recorded in its transaction; one per step plus one per saga
 * write-ahead). Time is per saga, in microseconds.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class JournalSagaBenchmarks {

    /** The steps of one saga. */
    static final int STEPS = 3;

    /** One application per fork and journal setting, on a schema of its own. */
    @State(Scope.Benchmark)
    public static class Shop {

        /** Whether the starter writes the saga to the journal. */
        @Param({ "false", "true" })
        public boolean journal;

        /** What the steps do, and where the journal records them ({@link JournalShop.Shape}). */
        @Param({ "IN_TRANSACTION", "WRITE_AHEAD", "PLAIN" })
        public JournalShop.Shape steps;

        PostgresSchema schema;
        ConfigurableApplicationContext context;
        JournalShop.Orders orders;
        CountingDataSource dataSource;
        long nextOrder;

        @Setup(Level.Trial)
        public void start() {
            schema = PostgresSchema.create();
            context = JournalApplication.start(schema, journal, "bench-" + schema.name, steps);
            context.getBean(JdbcTemplate.class).execute(JournalShop.TABLE);
            orders = context.getBean(JournalShop.Orders.class);
            dataSource = context.getBean(CountingDataSource.class);
            require(context.getBeanNamesForType(JdbcStepJournal.class).length == (journal ? 1 : 0),
                    "the journal " + (journal ? "on" : "off"));
            place();
            int rows = context.getBean(JdbcTemplate.class).queryForObject("SELECT count(*) FROM bench_rows", Integer.class);
            int expected = steps == JournalShop.Shape.PLAIN ? 0 : STEPS;
            require(rows == expected, expected + " rows (one per step that writes), got " + rows);
        }

        long place() {
            return orders.place(nextOrder++);
        }

        @TearDown(Level.Trial)
        public void close() {
            try {
                if (context != null) {
                    context.close();
                }
            } finally {
                if (schema != null) {
                    schema.close();
                }
            }
        }
    }

    /** Sagas run and transactions committed in one iteration (JMH sums them over its iterations and forks alike). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Commits {

        /** Sagas run. */
        public long sagas;

        /** Transactions committed by them. */
        public long commits;

        /** Statements, commits and rollbacks they sent: the database round trips. */
        public long roundTrips;

        @Setup(Level.Iteration)
        public void reset() {
            sagas = 0;
            commits = 0;
            roundTrips = 0;
        }
    }

    /** One saga of three steps, each committing its own row. */
    @Benchmark
    public long threeStepSaga(Shop shop, Commits counts) {
        long before = shop.dataSource.commits();
        long tripsBefore = shop.dataSource.roundTrips();
        long result = shop.place();
        counts.commits += shop.dataSource.commits() - before;
        counts.roundTrips += shop.dataSource.roundTrips() - tripsBefore;
        counts.sagas++;
        return result;
    }

    static void require(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException("Benchmark set-up is wrong: expected " + what);
        }
    }
}
