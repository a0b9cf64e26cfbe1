package dev.reversible.spring.jdbc;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The crash matrix with steps recorded in their own transactions ({@code StepRecord.IN_TRANSACTION},
 * {@link InTransactionCrashShop}), on an H2 file database: a child JVM is killed at each point of the saga, then a
 * live instance recovers. A step killed before its transaction committed left neither its work nor its record and
 * is not compensated; a committed one is compensated with its result, once; with charge recorded write-ahead
 * ({@code mixed}) it is compensated as in doubt until a later commit carried its end. Afterwards no step's work is
 * left ({@link InTransactionCrashShop#WORK} is empty) and each compensation ran exactly once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InTransactionCrashMatrixTests {

    private static final String RESERVED = "reserve #0 result=R-sku-7-2 failure=null by recovery";
    private static final String CHARGED = "charge #1 result=C-alice failure=null by recovery";
    private static final String CHARGE_UNKNOWN = "charge #1 result=null failure=StepOutcomeUnknownException by recovery";
    private static final String SHIPPED = "ship #2 result=S-sku-7 failure=null by recovery";

    @TempDir
    Path directory;

    private CrashMatrixTests.Target target;

    @BeforeEach
    void reset() {
        CrashShop.reset();
    }

    @AfterEach
    void close() throws Exception {
        if (target != null) {
            target.cleanup().close();
        }
    }

    CrashMatrixTests.Target database(String name) {
        String url = "jdbc:h2:file:" + directory.resolve(name).toAbsolutePath() + ";FILE_LOCK=NO;WRITE_DELAY=0";
        return new CrashMatrixTests.Target("h2", url, "sa", "", () -> { });
    }

    /** @return the points of this database: the in-transaction ones here; the mixed ones too, on H2 */
    Stream<Arguments> points() {
        return allPoints();
    }

    static Stream<Arguments> inTransactionPoints() {
        return allPoints().filter(point -> point.get()[0].equals("in-transaction"));
    }

    static Stream<Arguments> allPoints() {
        return Stream.of(
                Arguments.of("in-transaction", CrashPoint.BEFORE_FIRST_STEP, List.of()),
                Arguments.of("in-transaction", CrashPoint.RESERVE_STARTED, List.of()),
                Arguments.of("in-transaction", CrashPoint.RESERVE_ENDED, List.of(RESERVED)),
                Arguments.of("in-transaction", CrashPoint.CHARGE_STARTED, List.of(RESERVED)),
                Arguments.of("in-transaction", CrashPoint.CHARGE_ENDED, List.of(CHARGED, RESERVED)),
                Arguments.of("in-transaction", CrashPoint.SHIP_STARTED, List.of(CHARGED, RESERVED)),
                Arguments.of("in-transaction", CrashPoint.SHIP_ENDED, List.of(SHIPPED, CHARGED, RESERVED)),
                // ship failed: its transaction rolled back with its record, so nothing of it is compensated
                Arguments.of("in-transaction", CrashPoint.CHARGE_COMPENSATING, List.of(CHARGED, RESERVED)),
                Arguments.of("mixed", CrashPoint.RESERVE_ENDED, List.of(RESERVED)),
                Arguments.of("mixed", CrashPoint.CHARGE_STARTED, List.of(CHARGE_UNKNOWN, RESERVED)),
                Arguments.of("mixed", CrashPoint.CHARGE_ENDED, List.of(CHARGE_UNKNOWN, RESERVED)),
                Arguments.of("mixed", CrashPoint.SHIP_STARTED, List.of(CHARGE_UNKNOWN, RESERVED)),
                // ship's commit carried charge's end
                Arguments.of("mixed", CrashPoint.SHIP_ENDED, List.of(SHIPPED, CHARGED, RESERVED)));
    }

    @ParameterizedTest(name = "{0}, killed at {1}")
    @MethodSource("points")
    void aSagaKilledAtThisPointHasEveryCommittedStepCompensatedOnceAndNoWorkLeft(String mode, CrashPoint point, List<String> compensations)
            throws Exception {
        target = database(mode + "-" + point.name().toLowerCase());
        target.execute(CrashShop.createTable(target.platform()));
        target.execute(InTransactionCrashShop.createWorkTable());

        CrashMatrixTests.killChildAt(target, point, mode);

        Class<?> beans = mode.equals("mixed") ? InTransactionCrashShop.Mixed.class : InTransactionCrashShop.Beans.class;
        CrashMatrixTests.recoveringInstance(target, beans)
                .withConfiguration(AutoConfigurations.of(DataSourceTransactionManagerAutoConfiguration.class, TransactionAutoConfiguration.class))
                .run(context -> {
                    JdbcClient jdbc = JournalTestApp.jdbc(context);
                    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(jdbc.sql("SELECT name FROM reversible_instances")
                            .query(String.class).list()).containsExactly("recovery"));
                    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(jdbc.sql("SELECT COUNT(*) FROM reversible_sagas"
                            + " WHERE status <> 'COMPENSATED'").query(Integer.class).single()).isZero());

                    assertThat(CrashShop.sideEffects(jdbc)).containsExactlyElementsOf(compensations);
                    assertThat(InTransactionCrashShop.work(jdbc)).as("work of steps that committed and were not undone").isEmpty();
                    assertThat(CrashShop.HANDLER_CALLS).as("handler calls in the recovering JVM").hasValue(compensations.size());
                    assertThat(CrashShop.FORWARDS).as("no step runs again after a crash").isEmpty();
                    List<Map<String, Object>> sagas = jdbc.sql("SELECT status, recovered FROM reversible_sagas").query().listOfRows();
                    if (compensations.isEmpty()) {
                        assertThat(sagas).as("no record committed: no saga").isEmpty();
                        assertThat(jdbc.sql("SELECT COUNT(*) FROM reversible_steps").query(Integer.class).single()).isZero();
                    } else {
                        assertThat(sagas).singleElement().satisfies(saga -> assertThat(saga)
                                .containsEntry(CrashMatrixTests.column(saga, "status"), "COMPENSATED")
                                .containsEntry(CrashMatrixTests.column(saga, "recovered"), true));
                        assertThat(jdbc.sql("SELECT status FROM reversible_steps ORDER BY step_index").query(String.class).list())
                                .hasSize(compensations.size()).containsOnly("COMPENSATED");
                    }
                });
    }
}
