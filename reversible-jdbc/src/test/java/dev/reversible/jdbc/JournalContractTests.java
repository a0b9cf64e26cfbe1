package dev.reversible.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The journal's contract, run against every supported database by one subclass each. Every test works in a
 * database (or schema) of its own.
 */
abstract class JournalContractTests {

    record Item(String sku, int quantity) {
    }

    private TestDatabase database;
    private CountingDataSource dataSource;
    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    private JdbcJournal journal;
    private InstanceRegistry instances;
    private JournalInstance me;
    private SagaJournal sagaJournal;
    private StoredSagas stored;

    /** @return a fresh database of this test's own; the subclass skips the test when its server is absent */
    abstract TestDatabase openDatabase();

    @BeforeEach
    void setUp() {
        database = openDatabase();
        database.applySchema("reversible_");
        dataSource = new CountingDataSource(database.dataSource());
        journal = journal(JournalSettings.defaults());
        instances = new InstanceRegistry(journal);
        me = instances.register("orders@host-1");
        sagaJournal = new SagaJournal(journal, me);
        stored = new StoredSagas(journal);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (database != null) {
            database.close();
        }
    }

    private JdbcJournal journal(JournalSettings settings) {
        return JdbcJournal.builder(dataSource).settings(settings).clock(clock).build();
    }

    private StoredSaga saga(String id) {
        return stored.find(id).orElseThrow();
    }

    /** Makes an instance look dead: its heartbeat far in the past, as the database sees it. */
    private void ageHeartbeat(JournalInstance instance) {
        JdbcClient.create(dataSource).sql("UPDATE reversible_instances SET heartbeat = :old WHERE id = :id")
                .param("old", journal.dialect().parameter(Instant.parse("2000-01-01T00:00:00Z")))
                .param("id", instance.id()).update();
    }

    /** A saga of a dead instance, its step 0 completed and step 1 still running. */
    private JournaledSaga orphan(String id) {
        JournaledSaga saga = sagaJournal.begin(id, "PlaceOrder");
        saga.stepStarted(StepStart.of(0, -1, "stock", "reserve", "sku-1", 2));
        saga.stepCompleted(0, "reservation-1");
        saga.stepStarted(StepStart.of(1, -1, "payment", "charge", "acct-1", 30));
        return saga;
    }

    private SagaClaims claimsOfANewInstance(String name) {
        return new SagaClaims(journal, instances.register(name));
    }

    // --- schema

    @Test
    void schemaIsVerifiedAndItsPlatformDetected() {
        assertThat(journal.platform()).isEqualTo(database.platform());
        journal.verifySchema();
    }

    @Test
    void missingSchemaNamesTheScriptToApply() {
        JdbcJournal other = journal(JournalSettings.defaults().withTablePrefix("absent_"));
        assertThatThrownBy(other::verifySchema).isInstanceOf(JournalSchemaException.class)
                .hasMessageContaining("schema-" + database.platform() + ".sql")
                .hasMessageContaining("'absent_'");
    }

    @Test
    void anotherTablePrefixWorksWithTheRewrittenScript() {
        database.applySchema("ops_journal_");
        JdbcJournal other = journal(JournalSettings.defaults().withTablePrefix("ops_journal_"));
        other.verifySchema();
        JournaledSaga saga = new SagaJournal(other, new InstanceRegistry(other).register("x")).begin("p-1", "Prefixed");
        saga.stepStarted(StepStart.of(0, -1, "b", "a"));
        assertThat(new StoredSagas(other).find("p-1")).isPresent();
        assertThat(stored.find("p-1")).isEmpty();
    }

    // --- write path

    @Test
    void successPathCommitsOncePerStepPlusOnceAtTheEndAndLeavesNoRows() {
        int before = dataSource.commits();
        JournaledSaga saga = sagaJournal.begin("s-1", "PlaceOrder");
        for (int step = 0; step < 3; step++) {
            saga.stepStarted(StepStart.of(step, -1, "bean", "action" + step, "arg" + step));
            saga.stepCompleted(step, "result" + step);
        }
        saga.completed();

        assertThat(dataSource.commits() - before).isEqualTo(3 + 1);
        assertThat(stored.find("s-1")).isEmpty();
        assertThat(JdbcClient.create(dataSource).sql("SELECT COUNT(*) FROM reversible_steps").query(Long.class).single())
                .isZero();
    }

    @Test
    void aStepThatTimedOutIsRecordedInDoubtWithItsTimeoutAndACancellationRequestIsKeptOnTheRunningSaga() {
        JournaledSaga saga = sagaJournal.begin("t-1", "Trip");
        saga.stepStarted(StepStart.of(0, -1, "flights", "book", "LH 400"));
        saga.stepFailed(0, new dev.reversible.core.StepTimeoutException("book", java.time.Duration.ofSeconds(2)));
        saga.stepStarted(StepStart.of(1, -1, "hotels", "reserve", "Berlin"));

        StoredStep timedOut = stored.find("t-1").orElseThrow().steps().get(0);
        assertThat(timedOut.status()).isEqualTo(StepStatus.UNKNOWN);
        assertThat(timedOut.lastError().className()).isEqualTo("dev.reversible.core.StepTimeoutException");
        assertThat(stored.requestCancel("t-1")).isTrue();
        assertThat(stored.cancelRequested(me)).containsExactly("t-1");
        assertThat(stored.requestCancel("no-such-saga")).isFalse();
    }

    @Test
    void aSagaWithoutStepsWritesNothing() {
        int before = dataSource.commits();
        JournaledSaga saga = sagaJournal.begin("s-empty", "Nothing");
        saga.completed();
        saga.compensating(null, new IllegalStateException("x"));
        assertThat(dataSource.commits()).isEqualTo(before);
        assertThat(stored.find("s-empty")).isEmpty();
    }

    @Test
    void stepStartCarriesThePreviousStepsEndInTheSameCommit() {
        JournaledSaga saga = sagaJournal.begin("s-2", "PlaceOrder");
        saga.stepStarted(StepStart.of(0, -1, "stock", "reserve", new Item("sku-1", 2)));
        saga.stepCompleted(0, List.of(new Item("sku-1", 2)));
        assertThat(saga(("s-2")).steps().get(0).status()).isEqualTo(StepStatus.RUNNING);

        int before = dataSource.commits();
        saga.stepStarted(StepStart.of(1, 0, "payment", "charge", "acct-1", 30));

        assertThat(dataSource.commits() - before).isOne();
        StoredSaga read = saga("s-2");
        assertThat(read.status()).isEqualTo(SagaStatus.RUNNING);
        assertThat(read.name()).isEqualTo("PlaceOrder");
        assertThat(read.ownerName()).isEqualTo("orders@host-1");
        assertThat(read.startedAt()).isEqualTo(clock.instant());
        assertThat(read.steps()).extracting(StoredStep::status).containsExactly(StepStatus.COMPLETED, StepStatus.RUNNING);
        StoredStep first = read.steps().get(0);
        assertThat(first.parentIndex()).isNull();
        assertThat(read.steps().get(1).parentIndex()).isZero();
        assertThat(first.beanName()).isEqualTo("stock");
        assertThat(first.actionName()).isEqualTo("reserve");
        assertThat(first.arguments(journal.json(), Item.class)).containsExactly(new Item("sku-1", 2));
        assertThat(journal.json().readResult(first.resultJson(),
                JournalJsonTests.listOf(Item.class))).isEqualTo(List.of(new Item("sku-1", 2)));
        assertThat(read.steps().get(1).arguments(journal.json(), String.class, int.class)).containsExactly("acct-1", 30);
    }

    @Test
    void keptSagasEndCompletedOrFailedWithTheirSteps() {
        SagaJournal keeping = new SagaJournal(journal(JournalSettings.defaults().withCompletedSagas(CompletedSagas.KEEP)), me);
        JournaledSaga completed = keeping.begin("k-1", "PlaceOrder");
        completed.stepStarted(StepStart.of(0, -1, "b", "a"));
        completed.stepCompleted(0, 42);
        int before = dataSource.commits();
        completed.completed();
        assertThat(dataSource.commits() - before).isOne();
        assertThat(saga("k-1").status()).isEqualTo(SagaStatus.COMPLETED);
        assertThat(saga("k-1").steps().get(0).resultJson()).isEqualTo("42");

        JournaledSaga failed = keeping.begin("k-2", "PlaceOrder");
        failed.stepStarted(StepStart.of(0, -1, "b", "a"));
        failed.failed(new IllegalArgumentException("kept on purpose"));
        assertThat(saga("k-2").status()).isEqualTo(SagaStatus.FAILED);
        assertThat(saga("k-2").lastError().message()).isEqualTo("kept on purpose");
    }

    @Test
    void compensationsAreMarkedWithAttemptsAndTheirErrorAsText() {
        JournaledSaga saga = orphan("c-1");
        saga.stepFailed(1, new IllegalStateException("card declined"));
        saga.compensating("charge", new IllegalStateException("card declined"));

        StoredSaga compensating = saga("c-1");
        assertThat(compensating.status()).isEqualTo(SagaStatus.COMPENSATING);
        assertThat(compensating.failedStep()).isEqualTo("charge");
        assertThat(compensating.lastError().className()).isEqualTo(IllegalStateException.class.getName());
        assertThat(compensating.lastError().message()).isEqualTo("card declined");
        assertThat(compensating.lastError().stack()).contains("card declined").contains("JournalContractTests");
        assertThat(compensating.steps().get(1).status()).isEqualTo(StepStatus.FAILED);

        saga.compensated(1, 1);
        saga.compensationFailed(0, 3, new RuntimeException("stock service down"));
        StoredSaga after = saga("c-1");
        assertThat(after.steps()).extracting(StoredStep::status)
                .containsExactly(StepStatus.COMPENSATION_FAILED, StepStatus.COMPENSATED);
        assertThat(after.steps().get(0).attempts()).isEqualTo(3);
        assertThat(after.steps().get(0).lastError().message()).isEqualTo("stock service down");

        saga.compensated(0, 4);
        saga.sagaCompensated();
        assertThat(saga("c-1").status()).isEqualTo(SagaStatus.COMPENSATED);
        assertThat(saga("c-1").steps().get(0).attempts()).isEqualTo(4);
    }

    @Test
    void stepTimesRideOnTheStartAndEndRecordsWithoutAnotherCommit() {
        Instant t0 = clock.instant();
        JournaledSaga saga = sagaJournal.begin("t-times", "PlaceOrder");
        int before = dataSource.commits();
        saga.stepStarted(StepStart.of(0, -1, "stock", "reserve", "sku-1", 2));
        clock.advance(Duration.ofMillis(250));
        saga.stepCompleted(0, "reservation-1");
        clock.advance(Duration.ofMillis(50));
        saga.stepStarted(StepStart.of(1, 0, "payment", "charge", "acct-1", 30));
        clock.advance(Duration.ofSeconds(2));
        saga.stepFailed(1, new IllegalStateException("card declined"));
        saga.compensating("charge", new IllegalStateException("card declined"));

        assertThat(dataSource.commits() - before).isEqualTo(3);
        StoredSaga read = saga("t-times");
        assertThat(read.steps()).extracting(StoredStep::startedAt, StoredStep::endedAt).containsExactly(
                org.assertj.core.groups.Tuple.tuple(t0, t0.plusMillis(250)),
                org.assertj.core.groups.Tuple.tuple(t0.plusMillis(300), t0.plusMillis(2300)));
        assertThat(read.steps()).allSatisfy(step -> assertThat(step.compensations()).isEmpty());
    }

    @Test
    void everyCompensationAttemptIsARowWithItsTimesOutcomeAndError() {
        Instant t0 = clock.instant();
        JournaledSaga saga = orphan("a-1");
        saga.stepFailed(1, new IllegalStateException("card declined"));
        clock.advance(Duration.ofMillis(100));
        saga.compensated(1, 1);                       // not announced: starts when the step's failure was recorded
        saga.compensationStarted(0, 1);
        clock.advance(Duration.ofMillis(40));
        saga.compensationFailed(0, 1, new RuntimeException("stock service down"));
        clock.advance(Duration.ofSeconds(1));        // the backoff
        saga.compensationStarted(0, 2);
        clock.advance(Duration.ofMillis(60));
        saga.compensated(0, 2);

        StoredSaga read = saga("a-1");
        assertThat(read.steps().get(1).compensations()).containsExactly(
                new StoredCompensation(1, t0, t0.plusMillis(100), CompensationOutcome.COMPENSATED, null));
        assertThat(read.steps().get(0).compensations()).containsExactly(
                new StoredCompensation(1, t0.plusMillis(100), t0.plusMillis(140), CompensationOutcome.FAILED,
                        new ErrorText(RuntimeException.class.getName(), "stock service down", null)),
                new StoredCompensation(2, t0.plusMillis(1140), t0.plusMillis(1200), CompensationOutcome.COMPENSATED, null));
        assertThat(read.steps().get(0).attempts()).isEqualTo(2);
    }

    @Test
    void anAttemptCountedTwiceKeepsItsFirstRowAndStillMarksTheStep() {
        JournaledSaga saga = orphan("a-2");
        saga.compensationFailed(1, 1, new RuntimeException("first"));
        saga.compensated(1, 1);
        StoredStep step = saga("a-2").steps().get(1);
        assertThat(step.status()).isEqualTo(StepStatus.COMPENSATED);
        assertThat(step.compensations()).extracting(StoredCompensation::outcome).containsExactly(CompensationOutcome.FAILED);
    }

    @Test
    void anAttemptMarkedInTheHandlersTransactionIsWrittenThere() {
        JournaledSaga saga = orphan("a-3");
        TransactionTemplate handler = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        handler.executeWithoutResult(status -> {
            saga.compensatedInCurrentTransaction(1, 1);
            status.setRollbackOnly();
        });
        assertThat(saga("a-3").steps().get(1).compensations()).isEmpty();
        handler.executeWithoutResult(status -> saga.compensatedInCurrentTransaction(1, 2));
        assertThat(saga("a-3").steps().get(1).compensations()).extracting(StoredCompensation::attempt, StoredCompensation::outcome)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(2, CompensationOutcome.COMPENSATED));
    }

    @Test
    void aCompletedSagaThatCompensatedAHandledFailureLeavesNoAttemptRows() {
        JournaledSaga saga = sagaJournal.begin("h-1", "Handled");
        saga.stepStarted(StepStart.of(0, -1, "b", "tried"));
        saga.stepFailed(0, new IllegalStateException("handled by the body"));
        saga.compensated(0, 1);
        saga.stepStarted(StepStart.of(1, -1, "b", "instead"));
        saga.stepCompleted(1, "ok");
        saga.completed();
        assertThat(stored.find("h-1")).isEmpty();
        assertThat(count("reversible_compensations")).isZero();
    }

    private long count(String table) {
        return JdbcClient.create(dataSource).sql("SELECT COUNT(*) FROM " + table).query(Long.class).single();
    }

    // --- schema upgrade

    @Test
    void aJournalAtVersionOneIsUpgradedByTheInitializersScriptsAndKeepsItsSagas() throws Exception {
        try (TestDatabase old = openDatabase()) {
            old.applyScript(new String(getClass().getResourceAsStream("v1/schema-" + database.platform() + ".sql").readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8));
            JdbcJournal oldJournal = JdbcJournal.builder(old.dataSource()).clock(clock).build();
            JdbcClient sql = JdbcClient.create(old.dataSource());
            // a stuck saga as version 1 wrote it: no step times, no attempt rows
            sql.sql("INSERT INTO reversible_sagas (id, name, status, owner_instance, owner_name, owner_epoch, started_at, updated_at,"
                    + " failed_step, error_class, error_message, recovered, attempts) VALUES ('v1-saga', 'PlaceOrder', 'STUCK', 'i-1',"
                    + " 'orders@old', 3, :t, :t, 'charge', 'java.lang.IllegalStateException', 'refund service down', FALSE, 5)")
                    .param("t", oldJournal.dialect().parameter(clock.instant())).update();
            sql.sql("INSERT INTO reversible_steps (saga_id, step_index, parent_index, bean_name, action_name, arguments, result, status,"
                    + " joined_transaction, attempts) VALUES ('v1-saga', 0, NULL, 'stock', 'reserve', '[\"sku-1\",2]', '\"r-1\"',"
                    + " 'COMPENSATION_FAILED', FALSE, 4)").update();
            assertThatThrownBy(oldJournal::verifySchema).isInstanceOf(JournalSchemaException.class)
                    .hasMessageContaining("version 1").hasMessageContaining("schema-upgrade-2-" + database.platform() + ".sql");

            // what reversible.jdbc.initialize-schema runs: the full script, then the upgrades
            old.applySchema("reversible_");
            old.applyScript(JournalSchema.upgradeScript(2, database.platform(), "reversible_"));
            old.applyScript(JournalSchema.upgradeScript(2, database.platform(), "reversible_"));   // idempotent
            assertThatThrownBy(oldJournal::verifySchema).isInstanceOf(JournalSchemaException.class)
                    .hasMessageContaining("version 2").hasMessageContaining("schema-upgrade-3-" + database.platform() + ".sql");
            old.applyScript(JournalSchema.upgradeScript(3, database.platform(), "reversible_"));
            old.applyScript(JournalSchema.upgradeScript(3, database.platform(), "reversible_"));   // idempotent
            oldJournal.verifySchema();
            assertThat(sql.sql("SELECT version FROM reversible_schema_version").query(Integer.class).list()).containsExactly(3);

            StoredSagas upgraded = new StoredSagas(oldJournal);
            StoredSaga kept = upgraded.find("v1-saga").orElseThrow();
            assertThat(kept.status()).isEqualTo(SagaStatus.STUCK);
            assertThat(kept.ownerEpoch()).isEqualTo(3);
            assertThat(kept.lastError().message()).isEqualTo("refund service down");
            StoredStep step = kept.steps().get(0);
            assertThat(step.arguments(oldJournal.json(), String.class, int.class)).containsExactly("sku-1", 2);
            assertThat(step.attempts()).isEqualTo(4);
            assertThat(step.startedAt()).isNull();
            assertThat(step.endedAt()).isNull();
            assertThat(step.compensations()).isEmpty();

            // and it is written on at the current version, cancellation requests included
            assertThat(upgraded.requestCancel("v1-saga")).as("only a running saga can be cancelled").isFalse();
            SagaJournal writer = new SagaJournal(oldJournal, new InstanceRegistry(oldJournal).register("orders@new"));
            Optional<SagaHandle> retried = upgraded.retry("v1-saga", writer.owner());
            JournaledSaga resumed = writer.resume(retried.orElseThrow());
            resumed.compensated(0, 5);
            resumed.sagaCompensated();
            StoredSaga after = upgraded.find("v1-saga").orElseThrow();
            assertThat(after.status()).isEqualTo(SagaStatus.COMPENSATED);
            assertThat(after.steps().get(0).compensations()).extracting(StoredCompensation::attempt).containsExactly(5);
        }
    }

    @Test
    void stuckAndUndoneByTransactionAreRecorded() {
        JournaledSaga saga = orphan("u-1");
        saga.compensating(null, (Throwable) null);
        saga.undoneByTransaction(1);
        saga.stuck(ErrorText.reason("no handler for payment.charge any more"));
        StoredSaga read = saga("u-1");
        assertThat(read.status()).isEqualTo(SagaStatus.STUCK);
        assertThat(read.lastError().message()).isEqualTo("no handler for payment.charge any more");
        assertThat(read.steps().get(1).status()).isEqualTo(StepStatus.UNDONE_BY_TRANSACTION);
    }

    @Test
    void aJoinedStepsEndFollowsTheCallersTransaction() {
        JournaledSaga saga = sagaJournal.begin("t-1", "Joined");
        saga.stepStarted(StepStart.of(0, -1, "b", "kept").inCallerTransaction());
        saga.stepStarted(StepStart.of(1, -1, "b", "erased").inCallerTransaction());
        TransactionTemplate application = new TransactionTemplate(new DataSourceTransactionManager(dataSource));

        application.executeWithoutResult(status -> {
            assertThat(journal.hasCallerTransaction()).isTrue();
            saga.stepEndedInCurrentTransaction(StepEnd.completed(0, "ok"));
        });
        application.executeWithoutResult(status -> {
            saga.stepEndedInCurrentTransaction(StepEnd.completed(1, "ok"));
            // the journal's own writes still commit while the caller's transaction is open
            saga.stepStarted(StepStart.of(2, -1, "b", "next"));
            status.setRollbackOnly();
        });

        StoredSaga read = saga("t-1");
        assertThat(read.steps()).extracting(StoredStep::status)
                .containsExactly(StepStatus.COMPLETED, StepStatus.RUNNING, StepStatus.RUNNING);
        assertThat(read.steps()).extracting(StoredStep::joinedTransaction).containsExactly(true, true, false);
        assertThatThrownBy(() -> saga.stepEndedInCurrentTransaction(StepEnd.completed(1, "x")))
                .isInstanceOf(IllegalStateException.class);
    }

    /** A step's record written in the current transaction, as just before it commits: with its end, or running. */
    private static void recordInTransaction(JournaledSaga saga, StepStart start, StepEnd end) {
        JournaledSaga.PendingStep record = saga.prepare(start);
        if (end != null) {
            record.ended(end);
        }
        saga.writeInCurrentTransaction(List.of(record));
    }

    @Test
    void stepsRecordedInTheirOwnTransactionsCostTheJournalOneCommitPerSaga() {
        TransactionTemplate step = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        JournaledSaga saga = sagaJournal.begin("in-1", "PlaceOrder");
        int before = dataSource.commits();
        for (int index = 0; index < 3; index++) {
            int current = index;
            step.executeWithoutResult(status -> {
                recordInTransaction(saga, StepStart.of(current, -1, "bean", "action" + current, "arg" + current).inCallerTransaction(),
                        StepEnd.completed(current, "result" + current));
            });
        }
        // the three steps' own commits, nothing of the journal's
        assertThat(dataSource.commits() - before).isEqualTo(3);
        StoredSaga read = saga("in-1");
        assertThat(read.status()).isEqualTo(SagaStatus.RUNNING);
        assertThat(read.steps()).extracting(StoredStep::status)
                .containsExactly(StepStatus.COMPLETED, StepStatus.COMPLETED, StepStatus.COMPLETED);
        assertThat(read.steps()).extracting(StoredStep::actionName).containsExactly("action0", "action1", "action2");
        assertThat(read.steps().get(2).resultJson()).isEqualTo("\"result2\"");

        int beforeEnd = dataSource.commits();
        saga.completed();
        assertThat(dataSource.commits() - beforeEnd).isEqualTo(1);
        assertThat(stored.find("in-1")).isEmpty();
    }

    @Test
    void aStepRecordedInItsTransactionVanishesWithItsRollbackAndTheSagasRowIsWrittenAgain() {
        TransactionTemplate step = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        JournaledSaga saga = sagaJournal.begin("in-2", "PlaceOrder");
        step.executeWithoutResult(status -> {
            recordInTransaction(saga, StepStart.of(0, -1, "bean", "first").inCallerTransaction(), null);
            // invisible to the journal's own transactions until this one commits: a step there is refused
            assertThatThrownBy(() -> saga.stepStarted(StepStart.of(1, 0, "bean", "elsewhere")))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("IN_TRANSACTION");
            status.setRollbackOnly();
        });
        assertThat(stored.find("in-2")).isEmpty();

        saga.stepStarted(StepStart.of(1, -1, "bean", "second"));
        step.executeWithoutResult(status -> {
            recordInTransaction(saga, StepStart.of(2, -1, "bean", "third").inCallerTransaction(), StepEnd.completed(2, null));
            status.setRollbackOnly();
        });
        assertThat(saga("in-2").steps()).extracting(StoredStep::actionName).containsExactly("second");
        saga.completed();
        assertThat(stored.find("in-2")).isEmpty();
    }

    @Test
    void theEndsBufferedBeforeAStepRecordedInItsTransactionCommitWithItOrStayBuffered() {
        TransactionTemplate step = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        JournaledSaga saga = sagaJournal.begin("in-5", "Mixed");
        saga.stepStarted(StepStart.of(0, -1, "bean", "aheadOne"));
        saga.stepCompleted(0, "one");
        step.executeWithoutResult(status -> {
            recordInTransaction(saga, StepStart.of(1, -1, "bean", "inRolledBack").inCallerTransaction(), null);
            status.setRollbackOnly();
        });
        assertThat(saga("in-5").steps()).extracting(StoredStep::status).containsExactly(StepStatus.RUNNING);

        int before = dataSource.commits();
        step.executeWithoutResult(status ->
                recordInTransaction(saga, StepStart.of(2, -1, "bean", "inCommitted").inCallerTransaction(), null));
        assertThat(saga("in-5").steps()).extracting(StoredStep::status).containsExactly(StepStatus.COMPLETED, StepStatus.RUNNING);
        assertThat(saga("in-5").steps().get(0).resultJson()).isEqualTo("\"one\"");
        // written once: the saga's end has no buffered end left to write
        saga.failed(new IllegalStateException("kept"));
        assertThat(dataSource.commits() - before).isEqualTo(1 + 2 + 1);
    }

    @Test
    void aStepRecordInItsTransactionIsFencedByItsInsertAndNeedsThatTransaction() {
        JournaledSaga former = orphan("in-3");
        ageHeartbeat(me);
        assertThat(claimsOfANewInstance("orders@host-2").claim(10)).containsExactly(new SagaHandle("in-3", 1));
        TransactionTemplate step = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        assertThatThrownBy(() -> step.executeWithoutResult(status ->
                recordInTransaction(former, StepStart.of(2, -1, "shipping", "book").inCallerTransaction(), null)))
                .isInstanceOf(JournalFencedException.class).hasMessageContaining("in-3");
        assertThat(saga("in-3").steps()).hasSize(2);

        JournaledSaga fresh = sagaJournal.begin("in-4", "Outside");
        assertThatThrownBy(() -> recordInTransaction(fresh, StepStart.of(0, -1, "b", "a"), null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("transaction");
        assertThat(stored.find("in-4")).isEmpty();
    }

    @Test
    void aCompensationMarkedInTheHandlersTransactionRollsBackWithIt() {
        JournaledSaga saga = orphan("x-1");
        saga.compensating("charge", (Throwable) null);
        TransactionTemplate handler = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        handler.executeWithoutResult(status -> {
            saga.compensatedInCurrentTransaction(1, 1);
            status.setRollbackOnly();
        });
        assertThat(saga("x-1").steps().get(1).status()).isEqualTo(StepStatus.RUNNING);
        handler.executeWithoutResult(status -> saga.compensatedInCurrentTransaction(1, 1));
        assertThat(saga("x-1").steps().get(1).status()).isEqualTo(StepStatus.COMPENSATED);
    }

    @Test
    void aJournalWriteSurvivesTheApplicationsRollback() {
        JournaledSaga saga = sagaJournal.begin("r-1", "Rolled");
        TransactionTemplate application = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        application.executeWithoutResult(status -> {
            saga.stepStarted(StepStart.of(0, -1, "b", "a"));
            status.setRollbackOnly();
        });
        assertThat(saga("r-1").steps()).hasSize(1);
    }

    @Test
    void anArgumentThatCannotBeWrittenWritesNothing() {
        JournaledSaga saga = sagaJournal.begin("j-1", "Payload");
        assertThatThrownBy(() -> saga.stepStarted(StepStart.of(0, -1, "b", "a", new Object())))
                .isInstanceOf(JournalPayloadException.class);
        assertThat(stored.find("j-1")).isEmpty();
    }

    // --- fencing

    @Test
    void aStaleEpochWritesNothingAndThrows() {
        JournaledSaga former = orphan("f-1");
        ageHeartbeat(me);
        List<SagaHandle> claimed = claimsOfANewInstance("orders@host-2").claim(10);
        assertThat(claimed).containsExactly(new SagaHandle("f-1", 1));
        StoredSaga beforeWake = saga("f-1");

        former.stepCompleted(1, "late");
        assertThatThrownBy(() -> former.stepStarted(StepStart.of(2, -1, "shipping", "book")))
                .isInstanceOf(JournalFencedException.class).hasMessageContaining("f-1");
        assertThatThrownBy(() -> former.compensated(0, 1)).isInstanceOf(JournalFencedException.class);
        assertThatThrownBy(former::completed).isInstanceOf(JournalFencedException.class);

        StoredSaga afterWake = saga("f-1");
        assertThat(afterWake).isEqualTo(beforeWake);
        assertThat(afterWake.steps()).hasSize(2);
    }

    @Test
    void aFencedSagaIsNotDeletedByItsFormerOwner() {
        JournaledSaga former = orphan("f-2");
        ageHeartbeat(me);
        claimsOfANewInstance("orders@host-2").claim(10);
        JournaledSaga fresh = new SagaJournal(journal, me).resume(new SagaHandle("f-2", 0));
        assertThatThrownBy(fresh::completed).isInstanceOf(JournalFencedException.class);
        assertThatThrownBy(() -> former.stuck(ErrorText.reason("x"))).isInstanceOf(JournalFencedException.class);
        assertThat(saga("f-2").status()).isEqualTo(SagaStatus.COMPENSATING);
    }

    // --- instances and claims

    @Test
    void deadInstancesAreDecidedByTheDatabasesClock() {
        JournalInstance other = instances.register("orders@host-2");
        assertThat(instances.deadInstances()).isEmpty();
        ageHeartbeat(other);
        assertThat(instances.deadInstances()).containsExactly(other);
        assertThat(instances.heartbeat(other)).isTrue();
        assertThat(instances.deadInstances()).isEmpty();
    }

    @Test
    void claimTakesOnlyUnfinishedSagasOfDeadInstancesAndTurnsTheirRunningStepsInDoubt() {
        JournaledSaga running = orphan("o-1");
        JournaledSaga joined = sagaJournal.begin("o-2", "Joined");
        joined.stepStarted(StepStart.of(0, -1, "b", "a").inCallerTransaction());
        JournaledSaga stuck = orphan("o-3");
        stuck.compensating("charge", (Throwable) null);
        stuck.stuck(ErrorText.reason("gave up"));
        JournaledSaga compensated = orphan("o-4");
        compensated.sagaCompensated();
        SagaClaims claims = claimsOfANewInstance("orders@host-2");

        assertThat(claims.claim(10)).as("owner alive").isEmpty();
        ageHeartbeat(me);
        List<SagaHandle> claimed = claims.claim(10);

        assertThat(claimed).extracting(SagaHandle::sagaId).containsExactlyInAnyOrder("o-1", "o-2");
        StoredSaga o1 = claims.load(new SagaHandle("o-1", 1));
        assertThat(o1.status()).isEqualTo(SagaStatus.COMPENSATING);
        assertThat(o1.recovered()).isTrue();
        assertThat(o1.ownerName()).isEqualTo("orders@host-2");
        assertThat(o1.stepsInRollbackOrder()).extracting(StoredStep::index, StoredStep::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, StepStatus.UNKNOWN),
                        org.assertj.core.groups.Tuple.tuple(0, StepStatus.COMPLETED));
        assertThat(saga("o-2").steps().get(0).status()).isEqualTo(StepStatus.UNDONE_BY_TRANSACTION);
        assertThat(saga("o-3").status()).isEqualTo(SagaStatus.STUCK);
        assertThat(claims.claim(10)).as("already claimed by a live instance").isEmpty();
        assertThatThrownBy(() -> claims.load(new SagaHandle("o-1", 0))).isInstanceOf(JournalFencedException.class);
    }

    @Test
    void anInstanceNeverClaimsItsOwnSagasEvenWhenItsRowLooksDead() {
        orphan("self-1");
        SagaClaims ownClaims = new SagaClaims(journal, me);
        instances.gone(me);   // it paused, and another instance marked it gone; it still runs the saga in memory

        assertThat(ownClaims.claim(10)).as("its own running saga").isEmpty();
        assertThat(claimsOfANewInstance("orders@host-2").claim(10)).extracting(SagaHandle::sagaId).containsExactly("self-1");
    }

    @Test
    void anInstanceThatIsGoneHasItsSagasClaimableAtOnce() {
        orphan("g-1");
        SagaClaims claims = claimsOfANewInstance("orders@host-2");
        instances.gone(me);
        assertThat(claims.claim(10)).extracting(SagaHandle::sagaId).containsExactly("g-1");
        assertThat(instances.forgetDeadInstances()).isZero();
    }

    @Test
    void deadInstancesWithoutUnfinishedSagasAreForgotten() {
        JournalInstance other = instances.register("orders@host-2");
        ageHeartbeat(other);
        orphan("d-1");
        ageHeartbeat(me);
        assertThat(instances.forgetDeadInstances()).isEqualTo(1);
        assertThat(instances.deadInstances()).containsExactly(me);
    }

    @Test
    void aJvmClockOffByMinutesClaimsNothingEarly() {
        orphan("k-1");
        MutableClock skewed = new MutableClock(Instant.now().plus(Duration.ofMinutes(30)));
        JdbcJournal skewedJournal = JdbcJournal.builder(dataSource).clock(skewed).build();
        SagaClaims thief = new SagaClaims(skewedJournal, new InstanceRegistry(skewedJournal).register("skewed"));

        assertThat(new InstanceRegistry(skewedJournal).deadInstances()).isEmpty();
        assertThat(thief.claim(10)).isEmpty();
        assertThat(saga("k-1").ownerInstance()).isEqualTo(me.id());
    }

    @Test
    void twoClaimersNeverGetTheSameSaga() throws Exception {
        for (int i = 0; i < 6; i++) {
            orphan("c-" + i);
        }
        ageHeartbeat(me);
        SagaClaims first = claimsOfANewInstance("claimer-1");
        SagaClaims second = claimsOfANewInstance("claimer-2");
        CountDownLatch firstHoldsItsLocks = new CountDownLatch(1);
        CountDownLatch secondClaimed = new CountDownLatch(1);

        CompletableFuture<List<SagaHandle>> firstClaim = CompletableFuture.supplyAsync(() -> {
            dataSource.beforeCommitOnThisThread(() -> {
                firstHoldsItsLocks.countDown();
                await(secondClaimed);
            });
            try {
                return first.claim(3);
            }
            finally {
                dataSource.beforeCommitOnThisThread(null);
            }
        });
        assertThat(firstHoldsItsLocks.await(30, TimeUnit.SECONDS)).isTrue();
        List<SagaHandle> secondClaim = second.claim(10);
        secondClaimed.countDown();
        List<SagaHandle> firstClaimed = firstClaim.get(30, TimeUnit.SECONDS);

        assertThat(firstClaimed).hasSize(3);
        assertThat(secondClaim).hasSize(3);
        List<String> all = new ArrayList<>();
        firstClaimed.forEach(handle -> all.add(handle.sagaId()));
        secondClaim.forEach(handle -> all.add(handle.sagaId()));
        assertThat(all).containsExactlyInAnyOrder("c-0", "c-1", "c-2", "c-3", "c-4", "c-5");
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("timed out");
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    // --- recovery's batched reads and marks

    @Test
    void aClaimReturnsItsBatchAsClaimedReadWithTheSameStatementsHoweverLargeTheBatch() {
        for (int i = 0; i < 5; i++) {
            JournaledSaga saga = orphan("b-" + i);
            if (i == 0) {
                saga.compensating("charge", new IllegalStateException("declined"));
                saga.compensationFailed(1, 1, new IllegalStateException("refund refused"));
            }
        }
        JournaledSaga joined = sagaJournal.begin("b-joined", "Joined");
        joined.stepStarted(StepStart.of(0, -1, "b", "a").inCallerTransaction());
        ageHeartbeat(me);
        SagaClaims claims = claimsOfANewInstance("orders@host-2");
        List<String> seen = new ArrayList<>();

        int before = dataSource.statements();
        List<StoredSaga> claimed = claims.claimSagas(10, java.util.Set.of(), candidate -> {
            seen.add(candidate.id());
            return !candidate.id().equals("b-4");
        }, id -> seen.add("refused " + id));
        int statements = dataSource.statements() - before;

        // lock, read the sagas, their steps, their attempts, claim the sagas, turn their running steps in doubt
        assertThat(statements).isEqualTo(6);
        assertThat(seen).containsExactlyInAnyOrder("b-0", "b-1", "b-2", "b-3", "b-4", "b-joined", "refused b-4");
        assertThat(claimed).extracting(StoredSaga::id).containsExactlyInAnyOrder("b-0", "b-1", "b-2", "b-3", "b-joined");
        for (StoredSaga saga : claimed) {
            assertThat(saga).as("what the claim returns is what it wrote").isEqualTo(saga(saga.id()));
            assertThat(saga.ownerEpoch()).isEqualTo(1);
            assertThat(saga.status()).isEqualTo(SagaStatus.COMPENSATING);
        }
        StoredSaga failed = claimed.stream().filter(saga -> saga.id().equals("b-0")).findFirst().orElseThrow();
        assertThat(failed.steps().get(1).compensations()).extracting(StoredCompensation::outcome)
                .containsExactly(CompensationOutcome.FAILED);
        assertThat(saga("b-1").steps()).extracting(StoredStep::status).containsExactly(StepStatus.COMPLETED, StepStatus.UNKNOWN);
        assertThat(saga("b-joined").steps()).extracting(StoredStep::status).containsExactly(StepStatus.UNDONE_BY_TRANSACTION);
        assertThat(saga("b-4").ownerInstance()).as("refused: left as it was").isEqualTo(me.id());
    }

    @Test
    void theLastCompensationsMarkEndsTheSagaInItsOwnCommit() {
        orphan("m-1");
        ageHeartbeat(me);
        JournalInstance survivor = instances.register("orders@host-2");
        StoredSaga claimed = new SagaClaims(journal, survivor).claimSagas(10, java.util.Set.of(), saga -> true, id -> { }).get(0);
        JournaledSaga writer = new SagaJournal(journal, survivor).resume(claimed.handle());
        // fence, step and attempt: one statement where the database can write several tables in one
        int statementsPerMark = database.platform().equals("postgresql") ? 1 : 3;
        int commits = dataSource.commits();
        int statements = dataSource.statements();

        writer.compensated(1, 1, false);
        assertThat(dataSource.commits() - commits).isEqualTo(1);
        assertThat(dataSource.statements() - statements).isEqualTo(statementsPerMark);
        StoredSaga midway = saga("m-1");
        assertThat(midway.status()).isEqualTo(SagaStatus.COMPENSATING);
        assertThat(midway.steps()).extracting(StoredStep::status).containsExactly(StepStatus.COMPLETED, StepStatus.COMPENSATED);

        commits = dataSource.commits();
        statements = dataSource.statements();
        writer.compensated(0, 2, true);
        assertThat(dataSource.commits() - commits).as("the saga's end in the last mark's commit").isEqualTo(1);
        assertThat(dataSource.statements() - statements).isEqualTo(statementsPerMark);
        StoredSaga ended = saga("m-1");
        assertThat(ended.status()).isEqualTo(SagaStatus.COMPENSATED);
        assertThat(ended.nextAttemptAt()).isNull();
        assertThat(ended.steps()).extracting(StoredStep::status).containsExactly(StepStatus.COMPENSATED, StepStatus.COMPENSATED);
        assertThat(ended.steps()).extracting(StoredStep::attempts).containsExactly(2, 1);
        assertThat(ended.steps()).extracting(step -> step.compensations().size()).containsExactly(1, 1);
        assertThat(ended.steps().get(0).compensations().get(0).attempt()).isEqualTo(2);
        assertThat(ended.steps().get(0).compensations().get(0).outcome()).isEqualTo(CompensationOutcome.COMPENSATED);

        writer.compensated(0, 2, true);
        assertThat(saga("m-1").steps().get(0).compensations()).as("an attempt marked twice is one row").hasSize(1);
    }

    @Test
    void aFencedCompensationMarkWritesNothingInItsOwnTransactionOrTheCallers() {
        orphan("m-2");
        ageHeartbeat(me);
        JournalInstance first = instances.register("orders@host-2");
        StoredSaga claimed = new SagaClaims(journal, first).claimSagas(10, java.util.Set.of(), saga -> true, id -> { }).get(0);
        JournaledSaga former = new SagaJournal(journal, first).resume(claimed.handle());
        JournaledSaga rolledBack = new SagaJournal(journal, first).resume(claimed.handle());
        ageHeartbeat(first);
        assertThat(claimsOfANewInstance("orders@host-3").claim(10)).containsExactly(new SagaHandle("m-2", 2));
        StoredSaga before = saga("m-2");

        assertThatThrownBy(() -> former.compensated(1, 1, true)).isInstanceOf(JournalFencedException.class);
        TransactionTemplate callers = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        assertThatThrownBy(() -> callers.executeWithoutResult(status -> rolledBack.compensatedInCurrentTransaction(1, 1, true)))
                .isInstanceOf(JournalFencedException.class);
        assertThatThrownBy(() -> former.compensated(0, 1, false)).as("and every later write").isInstanceOf(JournalFencedException.class);

        assertThat(saga("m-2")).isEqualTo(before);
    }

    @Test
    void aCompensationMarkInTheCallersTransactionVanishesWithItsRollback() {
        orphan("m-3");
        ageHeartbeat(me);
        JournalInstance survivor = instances.register("orders@host-2");
        StoredSaga claimed = new SagaClaims(journal, survivor).claimSagas(10, java.util.Set.of(), saga -> true, id -> { }).get(0);
        JournaledSaga writer = new SagaJournal(journal, survivor).resume(claimed.handle());
        writer.compensated(1, 1, false);
        StoredSaga before = saga("m-3");
        TransactionTemplate handlers = new TransactionTemplate(new DataSourceTransactionManager(dataSource));

        handlers.executeWithoutResult(status -> {
            writer.compensatedInCurrentTransaction(0, 1, true);
            status.setRollbackOnly();
        });
        assertThat(saga("m-3")).isEqualTo(before);

        handlers.executeWithoutResult(status -> writer.compensatedInCurrentTransaction(0, 1, true));
        StoredSaga ended = saga("m-3");
        assertThat(ended.status()).isEqualTo(SagaStatus.COMPENSATED);
        assertThat(ended.steps()).extracting(StoredStep::status).containsExactly(StepStatus.COMPENSATED, StepStatus.COMPENSATED);
        assertThat(ended.steps().get(0).compensations()).extracting(StoredCompensation::attempt).containsExactly(1);
    }

    @Test
    void dueRetriesAreReadWholeInOneTransaction() {
        JournaledSaga saga = sagaJournal.begin("w-1", "Retried");
        saga.stepStarted(StepStart.of(0, -1, "b", "a"));
        saga.compensating(null, (Throwable) null);
        saga.retryLater(new RuntimeException("1"));
        SagaClaims claims = new SagaClaims(journal, me);
        assertThat(claims.dueRetrySagas(10)).isEmpty();
        clock.advance(Duration.ofHours(1));
        int commits = dataSource.commits();
        int statements = dataSource.statements();

        List<StoredSaga> due = claims.dueRetrySagas(10);
        assertThat(dataSource.commits() - commits).isEqualTo(1);
        assertThat(dataSource.statements() - statements).as("the sagas, their steps, their attempts").isEqualTo(3);
        assertThat(due).containsExactly(saga("w-1"));
        assertThat(claims.dueRetries(10)).containsExactly(new SagaHandle("w-1", 0));
    }

    // --- persistent retry

    @Test
    void persistentRetriesBackOffOnTheApplicationClockThenStick() {
        RetryBackoff backoff = new RetryBackoff(3, Duration.ofSeconds(10), 2.0, Duration.ofSeconds(15));
        JdbcJournal retrying = journal(JournalSettings.defaults().withRetry(backoff));
        JournaledSaga saga = new SagaJournal(retrying, me).begin("b-1", "Retried");
        saga.stepStarted(StepStart.of(0, -1, "b", "a"));
        saga.compensating(null, (Throwable) null);
        SagaClaims claims = new SagaClaims(retrying, me);
        Instant start = clock.instant();

        assertThat(saga.retryLater(new RuntimeException("1"))).contains(start.plusSeconds(10));
        assertThat(claims.dueRetries(10)).isEmpty();
        clock.advance(Duration.ofSeconds(10));
        assertThat(claims.dueRetries(10)).containsExactly(new SagaHandle("b-1", 0));

        assertThat(saga.retryLater(new RuntimeException("2"))).contains(start.plusSeconds(10 + 20 - 5));
        assertThat(saga.retryLater(new RuntimeException("3"))).contains(start.plusSeconds(10 + 15));
        StoredSaga retried = saga("b-1");
        assertThat(retried.attempts()).isEqualTo(3);
        assertThat(retried.status()).isEqualTo(SagaStatus.COMPENSATING);
        assertThat(retried.lastError().message()).isEqualTo("3");

        assertThat(saga.retryLater(new RuntimeException("4"))).isEmpty();
        StoredSaga stuck = saga("b-1");
        assertThat(stuck.status()).isEqualTo(SagaStatus.STUCK);
        assertThat(stuck.nextAttemptAt()).isNull();
        clock.advance(Duration.ofHours(1));
        assertThat(claims.dueRetries(10)).isEmpty();
    }

    @Test
    void nonRetryableFailureSticksAtOnceAndItsSubclassesToo() {
        RetryBackoff backoff = new RetryBackoff(5, Duration.ofSeconds(10), 2.0, Duration.ofMinutes(1),
                java.util.Set.of(IllegalArgumentException.class.getName()));
        JdbcJournal retrying = journal(JournalSettings.defaults().withRetry(backoff));
        JournaledSaga saga = new SagaJournal(retrying, me).begin("n-1", "NonRetryable");
        saga.stepStarted(StepStart.of(0, -1, "b", "a"));
        saga.compensating(null, (Throwable) null);

        assertThat(backoff.isRetryable(new IllegalStateException("retryable"))).isTrue();
        assertThat(backoff.isRetryable(new NumberFormatException("a subclass"))).isFalse();
        assertThat(saga.retryLater(new NumberFormatException("not a number"))).isEmpty();
        StoredSaga stuck = saga("n-1");
        assertThat(stuck.status()).isEqualTo(SagaStatus.STUCK);
        assertThat(stuck.nextAttemptAt()).isNull();
        assertThat(stuck.lastError().className()).isEqualTo(NumberFormatException.class.getName());
    }

    // --- operator actions, queries, purge

    @Test
    void retryAndResolveOnlyFromStuck() {
        JournaledSaga saga = orphan("op-1");
        assertThat(stored.retry("op-1", me)).isEmpty();
        assertThat(stored.resolve("op-1", "nothing to do")).isFalse();
        assertThat(stored.resolve("unknown", "nothing to do")).isFalse();
        assertThatThrownBy(() -> stored.resolve("op-1", " ")).isInstanceOf(IllegalArgumentException.class);

        saga.compensating("charge", (Throwable) null);
        saga.stuck(ErrorText.reason("refund failed"));
        Optional<SagaHandle> retried = stored.retry("op-1", me);
        assertThat(retried).contains(new SagaHandle("op-1", 1));
        assertThat(saga("op-1").status()).isEqualTo(SagaStatus.COMPENSATING);
        assertThatThrownBy(() -> saga.compensated(0, 1)).as("the pre-retry writer is fenced")
                .isInstanceOf(JournalFencedException.class);

        JournaledSaga again = sagaJournal.resume(retried.get());
        again.stuck(ErrorText.reason("refund failed again"));
        assertThat(stored.resolve("op-1", "refunded by hand")).isTrue();
        StoredSaga resolved = saga("op-1");
        assertThat(resolved.status()).isEqualTo(SagaStatus.RESOLVED);
        assertThat(resolved.note()).isEqualTo("refunded by hand");
        assertThat(stored.retry("op-1", me)).isEmpty();
    }

    @Test
    void ofTwoConcurrentResolvesOneWins() throws Exception {
        JournaledSaga saga = orphan("op-2");
        saga.stuck(ErrorText.reason("x"));
        CountDownLatch go = new CountDownLatch(1);
        CompletableFuture<Boolean> one = CompletableFuture.supplyAsync(() -> {
            await(go);
            return stored.resolve("op-2", "first");
        });
        CompletableFuture<Boolean> two = CompletableFuture.supplyAsync(() -> {
            await(go);
            return stored.resolve("op-2", "second");
        });
        go.countDown();
        assertThat(List.of(one.get(30, TimeUnit.SECONDS), two.get(30, TimeUnit.SECONDS)))
                .containsExactlyInAnyOrder(true, false);
        assertThat(saga("op-2").note()).isIn("first", "second");
    }

    @Test
    void listsNewestFirstByStatusWithALimitAndCountsStuck() {
        for (int i = 0; i < 4; i++) {
            JournaledSaga saga = orphan("l-" + i);
            if (i % 2 == 0) {
                saga.stuck(ErrorText.reason("r" + i));
            }
            clock.advance(Duration.ofMinutes(1));
        }
        assertThat(stored.list(null, 10)).extracting(StoredSaga::id).containsExactly("l-3", "l-2", "l-1", "l-0");
        assertThat(stored.list(SagaStatus.STUCK, 10)).extracting(StoredSaga::id).containsExactly("l-2", "l-0");
        assertThat(stored.list(null, 2)).extracting(StoredSaga::id).containsExactly("l-3", "l-2");
        assertThat(stored.list(null, 2).get(0).steps()).hasSize(2);
        assertThat(stored.count(SagaStatus.STUCK)).isEqualTo(2);
        assertThat(stored.oldestUpdate(SagaStatus.STUCK)).contains(Instant.parse("2030-01-01T00:00:00Z"));
        assertThat(stored.oldestUpdate(SagaStatus.RESOLVED)).isEmpty();
    }

    @Test
    void purgeRemovesOnlyFinishedSagasOlderThanTheRetentionInBatches() {
        for (int i = 0; i < 5; i++) {
            JournaledSaga old = orphan("old-" + i);
            old.compensated(1, 1);
            old.sagaCompensated();
        }
        JournaledSaga stuck = orphan("old-stuck");
        stuck.compensationFailed(1, 1, new RuntimeException("x"));
        stuck.stuck(ErrorText.reason("x"));
        orphan("old-running");
        clock.advance(Duration.ofDays(8));
        orphan("new").sagaCompensated();

        assertThat(stored.purgeBatch(Duration.ofDays(7), 2)).isEqualTo(2);
        assertThat(stored.purge(Duration.ofDays(7), 2)).isEqualTo(3);
        assertThat(stored.purgeBatch(Duration.ofDays(7), 2)).isZero();

        assertThat(stored.list(null, 100)).extracting(StoredSaga::id)
                .containsExactlyInAnyOrder("old-stuck", "old-running", "new");
        assertThat(JdbcClient.create(dataSource).sql("SELECT COUNT(*) FROM reversible_steps").query(Long.class).single())
                .isEqualTo(6);
        assertThat(count("reversible_compensations")).isEqualTo(1);   // the stuck saga's
        clock.advance(Duration.ofDays(30));
        stored.purge(Duration.ofDays(7), 100);
        assertThat(stored.list(null, 100)).extracting(StoredSaga::id).containsExactlyInAnyOrder("old-stuck", "old-running");
    }

    @Test
    void timesAreStoredInUtcAtTheApplicationClocksPrecision() {
        orphan("z-1");
        assertThat(saga("z-1").updatedAt()).isEqualTo(clock.instant().truncatedTo(ChronoUnit.MICROS));
    }
}
