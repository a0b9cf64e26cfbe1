package dev.reversible.spring.statistics;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.reversible.core.Action;
import dev.reversible.core.CompensationFailedException;
import dev.reversible.core.CompositeAction;
import dev.reversible.core.Reversible;
import dev.reversible.core.RollbackReport;
import dev.reversible.core.SagaExecutor;
import dev.reversible.core.SagaInfo;
import dev.reversible.core.SagaListener;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tests for {@link SagaStatistics}: counts per outcome, per saga, per action and in total, the bounded
 * history of rollbacks, and subscriptions that see every name exactly once.
 */
class SagaStatisticsTests {

    private static final Instant NOW = Instant.parse("2025-03-14T09:26:53Z");

    private final SagaStatistics statistics = new SagaStatistics(10, Clock.fixed(NOW, ZoneOffset.UTC));

    private final List<String> sagaIds = new ArrayList<>();

    private final SagaExecutor executor = SagaExecutor.builder().listener(statistics).listener(new SagaListener() {
        @Override
        public void sagaStarted(SagaInfo saga) {
            sagaIds.add(saga.id());
        }
    }).build();

    // ---- counts --------------------------------------------------------------------------------

    @Test
    void countsEachSagaOutcomePerSagaAndInTotal() throws Exception {
        executor.execute(saga("order", step("reserve"), step("charge")));
        executor.execute(saga("order", step("reserve"), step("charge")));
        assertThatThrownBy(() -> executor.execute(saga("order", step("reserve"), failing("charge", new IllegalStateException("declined")))))
                .hasMessage("declined");
        assertThatExceptionOfType(CompensationFailedException.class)
                .isThrownBy(() -> executor.execute(saga("order", irreversible("reserve"), failing("charge", new IllegalStateException("declined")))));
        assertThatThrownBy(() -> executor.execute(saga("order", step("reserve"), failing("charge", new PendingException()))
                .rollbackOn(failure -> !(failure instanceof PendingException)))).isInstanceOf(PendingException.class);
        executor.execute(saga("refund", step("credit")));

        SagaCounts order = statistics.findSaga("order");
        assertThat(order.name()).isEqualTo("order");
        assertThat(order.started()).isEqualTo(5);
        assertThat(order.completed()).isEqualTo(2);
        assertThat(order.compensated()).isEqualTo(1);
        assertThat(order.compensationFailed()).isEqualTo(1);
        assertThat(order.failed()).isEqualTo(1);
        assertThat(order.active()).isZero();
        SagaCounts refund = statistics.findSaga("refund");
        assertThat(refund.started()).isEqualTo(1);
        assertThat(refund.completed()).isEqualTo(1);
        SagaCounts totals = statistics.totals();
        assertThat(totals.name()).isNull();
        assertThat(totals.started()).isEqualTo(6);
        assertThat(totals.completed()).isEqualTo(3);
        assertThat(totals.compensated()).isEqualTo(1);
        assertThat(totals.compensationFailed()).isEqualTo(1);
        assertThat(totals.failed()).isEqualTo(1);
        assertThat(totals.active()).isZero();
    }

    @Test
    void countsStepsAndCompensationsPerAction() throws Exception {
        executor.execute(saga("order", step("reserve"), step("charge")));
        assertThatThrownBy(() -> executor.execute(saga("order", step("reserve"), failing("charge", new IllegalStateException("declined")))));
        assertThatExceptionOfType(CompensationFailedException.class)
                .isThrownBy(() -> executor.execute(saga("order", irreversible("reserve"), failing("charge", new IllegalStateException("declined")))));

        assertThat(statistics.actions()).containsOnlyKeys("charge", "reserve");
        ActionCounts reserve = statistics.actions().get("reserve");
        assertThat(reserve.name()).isEqualTo("reserve");
        assertThat(reserve.completed()).isEqualTo(3);
        assertThat(reserve.failed()).isZero();
        assertThat(reserve.compensated()).isEqualTo(1);
        assertThat(reserve.compensationFailed()).isEqualTo(1);
        ActionCounts charge = statistics.actions().get("charge");
        assertThat(charge.completed()).isEqualTo(1);
        assertThat(charge.failed()).isEqualTo(2);
        // A failed step is compensated itself (core rule 6).
        assertThat(charge.compensated()).isEqualTo(2);
        assertThat(charge.compensationFailed()).isZero();
    }

    @Test
    void countsACompensationRetriedToSuccessOnce() throws Exception {
        SagaExecutor retrying = SagaExecutor.builder().listener(statistics).compensationRetry(3, java.time.Duration.ZERO).build();
        AtomicLong attempts = new AtomicLong();
        Action<String> flaky = Reversible.action(context -> "reserved", context -> {
            if (attempts.incrementAndGet() < 3) {
                throw new IllegalStateException("busy");
            }
        }).named("reserve");
        assertThatThrownBy(() -> retrying.execute(saga("order", flaky, failing("charge", new IllegalStateException("declined")))));
        assertThat(attempts).hasValue(3);
        assertThat(statistics.actions().get("reserve").compensated()).isEqualTo(1);
        assertThat(statistics.actions().get("reserve").compensationFailed()).isZero();
        assertThat(statistics.findSaga("order").compensated()).isEqualTo(1);
    }

    @Test
    void countsASagaAsActiveWhileItRuns() throws Exception {
        List<Long> seen = new ArrayList<>();
        Action<String> probe = Reversible.action(context -> {
            seen.add(statistics.totals().active());
            seen.add(statistics.findSaga("order").active());
            return "probed";
        }, context -> {
        }).named("probe");
        executor.execute(saga("order", probe));
        assertThat(seen).containsExactly(1L, 1L);
        assertThat(statistics.totals().active()).isZero();
        assertThat(statistics.findSaga("order").active()).isZero();
    }

    @Test
    void recordsTheTimeOfEachOutcome() {
        SagaInfo info = info("order", "id-1");
        statistics.sagaStarted(info);
        statistics.sagaCompleted(info, 1_500);
        statistics.sagaStarted(info);
        statistics.sagaCompleted(info, 2_500);
        statistics.stepCompleted(info, "reserve", 700);
        statistics.compensationFailed(info, "reserve", 2, 900, new IllegalStateException("refused"));
        assertThat(statistics.findSaga("order").completedOutcome().count()).isEqualTo(2);
        assertThat(statistics.findSaga("order").completedOutcome().totalTime(TimeUnit.NANOSECONDS)).isEqualTo(4_000);
        assertThat(statistics.findSaga("order").completedOutcome().totalTime(TimeUnit.MICROSECONDS)).isEqualTo(4.0);
        assertThat(statistics.totals().completedOutcome().totalTime(TimeUnit.NANOSECONDS)).isEqualTo(4_000);
        assertThat(statistics.actions().get("reserve").completedOutcome().count()).isEqualTo(1);
        assertThat(statistics.actions().get("reserve").completedOutcome().totalTime(TimeUnit.NANOSECONDS))
                .as("steps are counted, not timed: the executor reads no clock for them").isZero();
        assertThat(statistics.ignoresStepDurations()).isTrue();
        assertThat(statistics.actions().get("reserve").compensationFailedOutcome().totalTime(TimeUnit.NANOSECONDS)).isEqualTo(900);
        assertThat(statistics.actions().get("reserve").compensationFailed()).isEqualTo(1);
    }

    // ---- names ---------------------------------------------------------------------------------

    @Test
    void knownNamesShowWithZeroCountsBeforeTheirFirstRun() {
        SagaCounts order = statistics.saga("order");
        ActionCounts reserve = statistics.action("reserve");
        assertThat(statistics.saga("order")).isSameAs(order);
        assertThat(statistics.action("reserve")).isSameAs(reserve);
        assertThat(statistics.findSaga("order")).isSameAs(order);
        assertThat(order.started()).isZero();
        assertThat(reserve.completed()).isZero();
        assertThat(statistics.sagas()).containsOnlyKeys("order");
        assertThat(statistics.actions()).containsOnlyKeys("reserve");
    }

    @Test
    void unknownSagaIsNotFound() {
        assertThat(statistics.findSaga("nothing")).isNull();
    }

    @Test
    void sagasAndActionsAreSortedByName() throws Exception {
        executor.execute(saga("zeta", step("write")));
        executor.execute(saga("alpha", step("audit")));
        statistics.saga("mu");
        assertThat(statistics.sagas().keySet()).containsExactly("alpha", "mu", "zeta");
        assertThat(statistics.actions().keySet()).containsExactly("audit", "write");
    }

    @Test
    void subscribeSagasReceivesExistingAndNewNamesExactlyOnce() throws Exception {
        statistics.saga("existing");
        List<String> names = new ArrayList<>();
        statistics.subscribeSagas(counts -> names.add(counts.name()));
        assertThat(names).containsExactly("existing");
        statistics.saga("existing");
        executor.execute(saga("order", step("reserve")));
        executor.execute(saga("order", step("reserve")));
        statistics.saga("order");
        statistics.saga("refund");
        assertThat(names).containsExactly("existing", "order", "refund");
    }

    @Test
    void subscribeActionsReceivesExistingAndNewNamesExactlyOnce() throws Exception {
        statistics.action("existing");
        List<String> names = new ArrayList<>();
        statistics.subscribeActions(counts -> names.add(counts.name()));
        assertThat(names).containsExactly("existing");
        executor.execute(saga("order", step("reserve"), step("charge")));
        assertThatThrownBy(() -> executor.execute(saga("order", step("reserve"), failing("charge", new IllegalStateException("declined")))));
        statistics.action("existing");
        assertThat(names).containsExactly("existing", "reserve", "charge");
    }

    // ---- recent rollbacks ----------------------------------------------------------------------

    @Test
    void recordsWhatARollbackDid() {
        assertThatThrownBy(() -> executor.execute(saga("order", step("reserve"), step("ship"), failing("charge", new IllegalStateException("declined")))));
        assertThat(statistics.recentRollbacks()).singleElement().satisfies(rollback -> {
            assertThat(rollback.sagaName()).isEqualTo("order");
            assertThat(rollback.sagaId()).isEqualTo(sagaIds.get(0));
            assertThat(rollback.failedStep()).isEqualTo("charge");
            assertThat(rollback.exceptionClass()).isEqualTo("java.lang.IllegalStateException");
            assertThat(rollback.exceptionMessage()).isEqualTo("declined");
            assertThat(rollback.compensated()).containsExactly("charge", "ship", "reserve");
            assertThat(rollback.failedCompensations()).isEmpty();
            assertThat(rollback.pending()).isEmpty();
            assertThat(rollback.timestamp()).isEqualTo(NOW);
        });
    }

    @Test
    void recordsTheCompensationsThatFailed() {
        assertThatExceptionOfType(CompensationFailedException.class).isThrownBy(() -> executor.execute(
                saga("order", step("reserve"), irreversible("ship"), failing("charge", new IllegalStateException("declined")))));
        assertThat(statistics.recentRollbacks()).singleElement().satisfies(rollback -> {
            assertThat(rollback.failedStep()).isEqualTo("charge");
            assertThat(rollback.exceptionClass()).isEqualTo("java.lang.IllegalStateException");
            assertThat(rollback.compensated()).containsExactly("charge");
            assertThat(rollback.failedCompensations()).containsExactly("ship");
            assertThat(rollback.pending()).containsExactly("ship", "reserve");
        });
    }

    @Test
    void recordsNoFailedStepWhenTheSagaItselfFailed() {
        CompositeAction<String> body = Reversible.<String>gen(scope -> {
            scope.run(step("reserve"));
            throw new IllegalArgumentException("bad order");
        }).named("order");
        assertThatThrownBy(() -> executor.execute(body)).hasMessage("bad order");
        assertThat(statistics.recentRollbacks()).singleElement().satisfies(rollback -> {
            assertThat(rollback.failedStep()).isNull();
            assertThat(rollback.exceptionClass()).isEqualTo("java.lang.IllegalArgumentException");
            assertThat(rollback.exceptionMessage()).isEqualTo("bad order");
            assertThat(rollback.compensated()).containsExactly("reserve");
        });
    }

    @Test
    void keepsOnlyTheMostRecentRollbacksNewestFirst() {
        SagaStatistics bounded = new SagaStatistics(2, Clock.fixed(NOW, ZoneOffset.UTC));
        SagaExecutor boundedExecutor = SagaExecutor.builder().listener(bounded).build();
        for (String name : List.of("first", "second", "third")) {
            assertThatThrownBy(() -> boundedExecutor.execute(saga(name, step("reserve"), failing("charge", new IllegalStateException(name)))));
        }
        assertThat(bounded.recentRollbacks()).extracting(RollbackRecord::sagaName).containsExactly("third", "second");
        assertThat(bounded.recentRollbacks()).extracting(RollbackRecord::exceptionMessage).containsExactly("third", "second");
        assertThat(bounded.totals().compensated()).isEqualTo(3);
    }

    @Test
    void historySizeZeroKeepsNoRollbacksButStillCountsThem() {
        SagaStatistics none = new SagaStatistics(0, Clock.fixed(NOW, ZoneOffset.UTC));
        SagaExecutor noneExecutor = SagaExecutor.builder().listener(none).build();
        assertThatThrownBy(() -> noneExecutor.execute(saga("order", failing("charge", new IllegalStateException("declined")))));
        assertThat(none.recentRollbacks()).isEmpty();
        assertThat(none.totals().compensated()).isEqualTo(1);
    }

    @Test
    void negativeHistorySizeIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new SagaStatistics(-1, Clock.systemUTC()))
                .withMessage("historySize must not be negative, was -1");
    }

    @Test
    void recentRollbacksIsASnapshot() {
        assertThatThrownBy(() -> executor.execute(saga("order", failing("charge", new IllegalStateException("declined")))));
        List<RollbackRecord> snapshot = statistics.recentRollbacks();
        assertThatThrownBy(() -> executor.execute(saga("order", failing("charge", new IllegalStateException("declined")))));
        assertThat(snapshot).hasSize(1);
        assertThat(statistics.recentRollbacks()).hasSize(2);
        assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(snapshot::clear);
    }

    @Test
    void rolledBackReportWithoutFailureIsRecorded() {
        statistics.sagaRolledBack(info("order", "id-9"), 10, new RollbackReport(null, null, List.of(), List.of(), List.of()));
        assertThat(statistics.recentRollbacks()).singleElement().satisfies(rollback -> {
            assertThat(rollback.sagaId()).isEqualTo("id-9");
            assertThat(rollback.exceptionClass()).isNull();
            assertThat(rollback.exceptionMessage()).isNull();
        });
    }

    // ---- helpers -------------------------------------------------------------------------------

    @SafeVarargs
    private static CompositeAction<String> saga(String name, Action<String>... steps) {
        return Reversible.<String>gen(scope -> {
            for (Action<String> step : steps) {
                scope.run(step);
            }
            return name;
        }).named(name);
    }

    private static Action<String> step(String name) {
        return Reversible.action(context -> name, context -> {
        }).named(name);
    }

    private static Action<String> failing(String name, Exception failure) {
        return Reversible.<String>action(context -> {
            throw failure;
        }, context -> {
        }).named(name);
    }

    /** A step whose compensation always fails. */
    private static Action<String> irreversible(String name) {
        return Reversible.action(context -> name, context -> {
            throw new IllegalStateException("cannot undo " + name);
        }).named(name);
    }

    private static SagaInfo info(String name, String id) {
        return new SagaInfo() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String id() {
                return id;
            }
        };
    }

    static class PendingException extends Exception {

        private static final long serialVersionUID = 1L;
    }
}
