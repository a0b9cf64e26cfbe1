package dev.reversible.benchmarks.journal;

import java.util.concurrent.TimeUnit;

import dev.reversible.jdbc.InstanceRegistry;
import dev.reversible.jdbc.JdbcJournal;
import dev.reversible.jdbc.JournalInstance;
import dev.reversible.jdbc.JournaledSaga;
import dev.reversible.jdbc.SagaJournal;
import dev.reversible.jdbc.StepEnd;
import dev.reversible.jdbc.StepStart;
import dev.reversible.spring.jdbc.SagaRecovery;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
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
 * Row (10), recovery throughput on PostgreSQL: before each iteration, {@value #SAGAS} sagas of the demo's
 * shape ({@link JournalShop}) are left in the journal by an instance that then dies — each with its three
 * steps journaled as completed and their rows written, as a crash after the last step leaves them; the
 * iteration is one call of {@link SagaRecovery#recoverDeadInstancesSagas()} by the surviving instance, which
 * claims them batch by batch ({@code reversible.jdbc.recovery-batch-size}, 10) and compensates each: three
 * handlers, each deleting its row in its own transaction, and the journal's writes — one saga after the other
 * ({@code reversible.jdbc.recovery.concurrency=1}, the default), two or four at once. Twenty warm-up iterations:
 * with three, the compiler still took most of a core while the measured ones ran. Each iteration's set-up
 * vacuums and analyzes the tables ({@link PostgresSchema#VACUUM}). Time is per saga
 * ({@code @OperationsPerInvocation}); sagas per second = 10⁶ / (µs per saga). Each iteration prints the round
 * trips and commits one recovered saga sent.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 20)
@Measurement(iterations = 15)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class JournalRecoveryBenchmarks {

    /** Orphaned sagas per iteration. */
    static final int SAGAS = 50;

    private static final String[][] STEPS = { { "stock", "reserve" }, { "payments", "charge" }, { "shipping", "ship" } };

    /** The surviving instance, and the dead instances' sagas it finds. */
    @State(Scope.Benchmark)
    public static class Survivor {

        PostgresSchema schema;
        ConfigurableApplicationContext context;
        SagaRecovery recovery;
        JdbcJournal journal;
        InstanceRegistry instances;
        JdbcTemplate jdbc;
        CountingDataSource dataSource;
        int iteration;
        int recovered;
        long roundTripsBefore;
        long commitsBefore;

        /** {@code reversible.jdbc.recovery.concurrency}: how many claimed sagas are compensated at once. */
        @Param({ "1", "2", "4" })
        public int concurrency;

        @Setup(Level.Trial)
        public void start() {
            schema = PostgresSchema.create();
            context = JournalApplication.start(schema, true, "survivor", "reversible.jdbc.recovery.concurrency=" + concurrency);
            jdbc = context.getBean(JdbcTemplate.class);
            jdbc.execute(JournalShop.TABLE);
            recovery = context.getBean(SagaRecovery.class);
            journal = context.getBean(JdbcJournal.class);
            instances = context.getBean(InstanceRegistry.class);
            dataSource = context.getBean(CountingDataSource.class);
        }

        /** An instance runs {@value #SAGAS} sagas to their last step, and dies. */
        @Setup(Level.Iteration)
        public void orphanSagas() {
            iteration++;
            // What autovacuum does on a default server (the machines here run PostgreSQL with it off): without it
            // every iteration would find the dead row versions of all the ones before and run slower each time.
            jdbc.execute(PostgresSchema.VACUUM);
            JournalInstance dead = instances.register("dead-" + iteration);
            SagaJournal sagas = new SagaJournal(journal, dead);
            for (int i = 0; i < SAGAS; i++) {
                long orderId = iteration * 1_000_000L + i;
                JournaledSaga saga = sagas.begin("orphan-" + iteration + "-" + i, "Orders.place");
                for (int step = 0; step < STEPS.length; step++) {
                    saga.stepStarted(StepStart.of(step, -1, STEPS[step][0], STEPS[step][1], orderId));
                    jdbc.update("INSERT INTO bench_rows (order_id, kind) VALUES (?, ?)", orderId, STEPS[step][1]);
                    saga.stepEnded(StepEnd.completed(step, orderId));
                }
                saga.flush();
            }
            instances.gone(dead);
            recovered = 0;
            roundTripsBefore = dataSource.roundTrips();
            commitsBefore = dataSource.commits();
        }

        /** Every orphan was compensated: no row of theirs is left, and each saga is COMPENSATED. */
        @TearDown(Level.Iteration)
        public void check() {
            // Printed with the iteration's result: what one recovered saga sends to the database.
            System.out.printf("  [%.1f round trips, %.1f commits per recovered saga]%n",
                    (dataSource.roundTrips() - roundTripsBefore) / (double) SAGAS,
                    (dataSource.commits() - commitsBefore) / (double) SAGAS);
            JournalSagaBenchmarks.require(recovered == SAGAS, SAGAS + " sagas claimed, got " + recovered);
            Integer rows = jdbc.queryForObject("SELECT count(*) FROM bench_rows", Integer.class);
            JournalSagaBenchmarks.require(rows == 0, "every row deleted by a compensation, " + rows + " left");
            Integer compensated = jdbc.queryForObject("SELECT count(*) FROM reversible_sagas WHERE status = 'COMPENSATED' AND id LIKE ?",
                    Integer.class, "orphan-" + iteration + "-%");
            JournalSagaBenchmarks.require(compensated == SAGAS, SAGAS + " sagas COMPENSATED, got " + compensated);
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

    /** Claims and compensates every orphaned saga. */
    @Benchmark
    @OperationsPerInvocation(SAGAS)
    public int recoverOrphanedSagas(Survivor survivor) {
        survivor.recovered = survivor.recovery.recoverDeadInstancesSagas();
        return survivor.recovered;
    }
}
