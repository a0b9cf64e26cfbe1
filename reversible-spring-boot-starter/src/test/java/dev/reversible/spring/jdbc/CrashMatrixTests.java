package dev.reversible.spring.jdbc;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The crash matrix on an H2 file database: a child JVM ({@link CrashingInstance}: the test class path, the
 * real starter and journal) runs {@link CrashShop}'s three-step saga and is killed with
 * {@code destroyForcibly()} at each {@link CrashPoint} — before the first step is recorded, while each step
 * runs, after each step ended, during the failed step's own compensation and during another's. The child
 * says where it is by a line on its standard output and then blocks, so the kill lands exactly there. Then an
 * application context in this JVM on the same database — a live instance with a one-second
 * {@code reversible.jdbc.instance-timeout} — finds the child dead by its heartbeat, on the database's clock,
 * and compensates: per point exactly the expected compensations ran, once each (a unique key on the side
 * effects), in reverse order of start; a step in doubt is compensated as failed, with no result.
 */
class CrashMatrixTests {

    private static final String RECOVERY = "recovery";

    @TempDir
    Path directory;

    private Target target;

    @BeforeEach
    void reset() {
        CrashShop.reset();
    }

    @AfterEach
    void close() throws Exception {
        if (target != null) {
            target.cleanup.close();
        }
    }

    /** @return a fresh database for one point: an H2 file in a temporary directory (it must outlive the child) */
    Target database(CrashPoint point) {
        // WRITE_DELAY=0: a commit is on disk when it returns, as the journal needs under kill -9.
        String url = "jdbc:h2:file:" + directory.resolve(point.name().toLowerCase()).toAbsolutePath() + ";FILE_LOCK=NO;WRITE_DELAY=0";
        return new Target("h2", url, "sa", "", () -> { });
    }

    @ParameterizedTest(name = "killed at {0}")
    @EnumSource(CrashPoint.class)
    void sagaOfAJvmKilledAtThisPointIsCompensatedOnceEachInReverseOrderAsIfItHadFailedThere(CrashPoint point) throws Exception {
        target = database(point);
        target.execute(CrashShop.createTable(target.platform));

        killChildAt(point);
        assertThat(target.query("SELECT name FROM reversible_instances")).as("the dead child's heartbeat row").containsExactly("child");

        recoveringInstance().run(context -> {
                    JdbcClient jdbc = JournalTestApp.jdbc(context);
                    // The child's row is forgotten in the recovery round that claimed its sagas, once it had aged.
                    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(jdbc.sql("SELECT name FROM reversible_instances")
                            .query(String.class).list()).containsExactly(RECOVERY));

                    assertThat(CrashShop.sideEffects(jdbc)).containsExactlyElementsOf(point.compensations());
                    assertThat(CrashShop.HANDLER_CALLS).as("handler calls in the recovering JVM")
                            .hasValue((int) point.compensations().stream().filter(c -> c.endsWith("by " + RECOVERY)).count());
                    assertThat(CrashShop.FORWARDS).as("no step runs again after a crash").isEmpty();
                    if (point.journaledAStep()) {
                        Map<String, Object> saga = jdbc.sql("SELECT status, owner_name, recovered FROM reversible_sagas").query().singleRow();
                        assertThat(saga).containsEntry(column(saga, "status"), "COMPENSATED").containsEntry(column(saga, "owner_name"), RECOVERY)
                                .containsEntry(column(saga, "recovered"), true);
                        assertThat(jdbc.sql("SELECT status FROM reversible_steps ORDER BY step_index").query(String.class).list())
                                .hasSize(point.compensations().size()).containsOnly("COMPENSATED");
                    } else {
                        assertThat(jdbc.sql("SELECT COUNT(*) FROM reversible_sagas").query(Integer.class).single()).isZero();
                        assertThat(jdbc.sql("SELECT COUNT(*) FROM reversible_steps").query(Integer.class).single()).isZero();
                    }
                });
    }

    @org.junit.jupiter.api.Test
    void programmaticSagaKilledMidwayHasItsAnnotatedStepsCompensatedAndIsStuckNamingItsLambdaStep() throws Exception {
        CrashPoint point = CrashPoint.CHARGE_STARTED;
        target = database(point);
        target.execute(CrashShop.createTable(target.platform));

        killChildAt(point, "programmatic");

        recoveringInstance().run(context -> {
                    JdbcClient jdbc = JournalTestApp.jdbc(context);
                    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(jdbc.sql("SELECT status FROM reversible_sagas")
                            .query(String.class).list()).containsExactly("STUCK"));

                    // The lambda is step 0: the annotated steps after it are undone, latest first, then the rollback stops there.
                    assertThat(CrashShop.sideEffects(jdbc)).containsExactly(
                            "charge #2 result=null failure=StepOutcomeUnknownException by recovery",
                            "reserve #1 result=R-sku-7-2 failure=null by recovery");
                    assertThat(jdbc.sql("SELECT CONCAT(bean_name, ' ', action_name, ':', status) FROM reversible_steps ORDER BY step_index")
                            .query(String.class).list()).containsExactly("(programmatic) audit:COMPLETED", "stock reserve:COMPENSATED",
                                    "payments charge:COMPENSATED");
                    Map<String, Object> saga = jdbc.sql("SELECT name, error_message FROM reversible_sagas").query().singleRow();
                    assertThat(saga.get(column(saga, "name"))).isEqualTo("programmaticOrder");
                    assertThat((String) saga.get(column(saga, "error_message"))).contains("step 0 (audit)").contains("programmatic step");
                    assertThat(CrashShop.FORWARDS).as("no step runs again after a crash").isEmpty();
                });
    }

    @org.junit.jupiter.api.Test
    void sagaCancelledAndKilledBeforeItsNextBoundaryIsCompensatedByRecoveryAndKeepsItsCancellation() throws Exception {
        CrashPoint point = CrashPoint.CHARGE_STARTED;
        target = database(point);
        target.execute(CrashShop.createTable(target.platform));

        killChildAt(point, "cancelled");
        assertThat(target.query("SELECT status FROM reversible_sagas")).containsExactly("RUNNING");
        assertThat(target.query("SELECT cancel_requested FROM reversible_sagas")).as("the request survived the crash")
                .singleElement().isIn("TRUE", "true", "t", "1");

        recoveringInstance().run(context -> {
                    JdbcClient jdbc = JournalTestApp.jdbc(context);
                    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(jdbc.sql("SELECT status FROM reversible_sagas")
                            .query(String.class).list()).containsExactly("COMPENSATED"));
                    assertThat(CrashShop.sideEffects(jdbc)).containsExactlyElementsOf(point.compensations());
                    assertThat(CrashShop.FORWARDS).as("no step runs again after a crash").isEmpty();
                    assertThat(jdbc.sql("SELECT cancel_requested FROM reversible_sagas").query(Boolean.class).single()).isTrue();
                });
    }

    /** H2 answers upper-case column labels, PostgreSQL lower-case. */
    static String column(Map<String, Object> row, String name) {
        return row.containsKey(name) ? name : name.toUpperCase();
    }

    /**
     * The instance that recovers the dead child's sagas, in this JVM on the same database: it finds the child dead by
     * its one-second instance timeout, on the database's clock.
     */
    private org.springframework.boot.test.context.runner.ApplicationContextRunner recoveringInstance() {
        return recoveringInstance(target, CrashShop.Beans.class);
    }

    /**
     * @param target the database the child died on
     * @param beans the child's beans, under the same names
     * @return the recovering instance, in this JVM
     */
    static org.springframework.boot.test.context.runner.ApplicationContextRunner recoveringInstance(Target target, Class<?>... beans) {
        return JournalTestApp.runnerWith(target.properties()).withUserConfiguration(beans)
                .withPropertyValues("reversible.jdbc.initialize-schema=always", "reversible.jdbc.heartbeat-interval=100ms",
                        "reversible.jdbc.instance-timeout=1s", "reversible.jdbc.instance-name=" + RECOVERY);
    }

    /** Starts the child JVM, waits for its line saying it holds at {@code point}, and kills it there. */
    private void killChildAt(CrashPoint point, String... saga) throws Exception {
        killChildAt(target, point, saga);
    }

    /** Starts the child JVM on {@code target}, waits for its line saying it holds at {@code point}, and kills it there. */
    static void killChildAt(Target target, CrashPoint point, String... saga) throws Exception {
        List<String> arguments = new ArrayList<>(List.of(target.url, target.user, target.password, point.name()));
        arguments.addAll(List.of(saga));
        ChildJvm.killAt("AT " + point, CrashingInstance.class, arguments);
    }

    /**
     * The database of one point.
     * @param platform the journal's platform name, for the side-effect table's dialect
     * @param url its JDBC URL, as the child and the recovering context use it
     * @param user its user
     * @param password its password
     * @param cleanup drops it after the test
     */
    record Target(String platform, String url, String user, String password, AutoCloseable cleanup) {

        String[] properties() {
            return new String[] { "spring.datasource.url=" + url, "spring.datasource.username=" + user, "spring.datasource.password=" + password };
        }

        void execute(String sql) {
            try (Connection connection = DriverManager.getConnection(url, user, password); Statement statement = connection.createStatement()) {
                statement.execute(sql);
            } catch (SQLException e) {
                throw new IllegalStateException(sql + ": " + e.getMessage(), e);
            }
        }

        List<String> query(String sql) {
            try (Connection connection = DriverManager.getConnection(url, user, password); Statement statement = connection.createStatement();
                    var rows = statement.executeQuery(sql)) {
                List<String> values = new ArrayList<>();
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
                return values;
            } catch (SQLException e) {
                throw new IllegalStateException(sql + ": " + e.getMessage(), e);
            }
        }
    }
}
