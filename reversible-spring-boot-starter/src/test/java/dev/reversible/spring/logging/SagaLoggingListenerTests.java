package dev.reversible.spring.logging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.reversible.core.Action;
import dev.reversible.core.CompensationFailedException;
import dev.reversible.core.CompositeAction;
import dev.reversible.core.Reversible;
import dev.reversible.core.RollbackPolicy;
import dev.reversible.core.SagaExecutor;
import dev.reversible.core.SagaInfo;
import dev.reversible.core.SagaListener;
import dev.reversible.spring.ClockTicks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tests for {@link SagaLoggingListener}: one WARN line per rolled-back saga saying what was undone, one
 * ERROR with the stack trace per compensation that finally failed, nothing on success.
 */
@ExtendWith(OutputCaptureExtension.class)
class SagaLoggingListenerTests {

    private final List<String> sagaIds = new ArrayList<>();

    private final SagaListener ids = new SagaListener() {
        @Override
        public void sagaStarted(SagaInfo saga) {
            sagaIds.add(saga.id());
        }
    };

    private final SagaExecutor executor = SagaExecutor.builder().listener(new SagaLoggingListener()).listener(ids).build();

    @Test
    void theLoggingListenerHearsNoStepEventsButASubclassOfItHearsThemAll() throws Exception {
        List<String> heard = new ArrayList<>();
        SagaLoggingListener subclass = new SagaLoggingListener() {
            @Override
            public void stepStarted(SagaInfo saga, String step) {
                heard.add("started " + step);
            }

            @Override
            public void stepCompleted(SagaInfo saga, String step, long nanos) {
                heard.add("completed " + step + (nanos > 0 ? " timed" : " untimed"));
            }
        };
        SagaExecutor subclassed = SagaExecutor.builder().listener(subclass).build();

        subclassed.execute(saga("order", ticking("reserve"), ticking("charge")));

        assertThat(new SagaLoggingListener().ignoresStepEvents()).isTrue();
        assertThat(subclass.ignoresStepEvents()).isFalse();
        assertThat(heard).containsExactly("started reserve", "completed reserve timed", "started charge", "completed charge timed");
    }

    @Test
    void successLogsNothing(CapturedOutput output) throws Exception {
        executor.execute(saga("order", step("reserve"), step("charge")));
        executor.execute(step("refund"));
        assertThat(output).doesNotContain("SagaLoggingListener").doesNotContain("WARN").doesNotContain("ERROR");
    }

    @Test
    void handledStepFailureLogsNothing(CapturedOutput output) throws Exception {
        CompositeAction<String> saga = Reversible.<String>gen(scope -> {
            try {
                scope.run(failing("charge", "declined"));
            }
            catch (IllegalStateException handled) {
                // The body carries on: the failed step was undone, the saga completes.
            }
            return scope.run(step("reserve"));
        }).named("order");
        assertThat(executor.execute(saga)).isEqualTo("reserve");
        assertThat(output).doesNotContain("SagaLoggingListener");
    }

    @Test
    void rolledBackSagaLogsOneWarnLineSayingWhatWasUndone(CapturedOutput output) {
        assertThatThrownBy(() -> executor.execute(saga("order", step("reserve"), step("ship"), failing("charge", "card declined"))));
        assertThat(linesContaining(output, "WARN")).singleElement().asString().contains("Saga order (" + sagaIds.get(0)
                + ") rolled back after step charge failed with IllegalStateException: card declined; compensated [charge, ship, reserve]")
                .doesNotContain("compensations failed");
        assertThat(linesContaining(output, "ERROR")).isEmpty();
    }

    @Test
    void eachRolledBackSagaLogsItsOwnWarnLine(CapturedOutput output) {
        assertThatThrownBy(() -> executor.execute(saga("order", step("reserve"), failing("charge", "first"))));
        assertThatThrownBy(() -> executor.execute(saga("order", step("reserve"), failing("charge", "second"))));
        assertThat(linesContaining(output, "WARN")).hasSize(2).satisfiesExactly(
                first -> assertThat(first).contains("Saga order (" + sagaIds.get(0) + ") rolled back", "first"),
                second -> assertThat(second).contains("Saga order (" + sagaIds.get(1) + ") rolled back", "second"));
    }

    @Test
    void sagaFailingOutsideAStepLogsThatItFailed(CapturedOutput output) {
        CompositeAction<String> saga = Reversible.<String>gen(scope -> {
            scope.run(step("reserve"));
            throw new IllegalArgumentException("bad order");
        }).named("order");
        assertThatThrownBy(() -> executor.execute(saga));
        assertThat(linesContaining(output, "WARN")).singleElement().asString().contains("Saga order (" + sagaIds.get(0)
                + ") rolled back after it failed with IllegalArgumentException: bad order; compensated [reserve]");
    }

    @Test
    void failedCompensationLogsOneErrorWithStackTraceAndTheWarnLineNamesWhatIsLeft(CapturedOutput output) {
        assertThatExceptionOfType(CompensationFailedException.class)
                .isThrownBy(() -> executor.execute(saga("order", step("reserve"), irreversible("ship"), failing("charge", "card declined"))));
        String id = sagaIds.get(0);
        assertThat(linesContaining(output, "ERROR")).singleElement().asString().contains("Compensation of step ship in saga order (" + id
                + ") failed after 1 attempt; the step is left un-compensated");
        assertThat(output).contains("java.lang.IllegalStateException: cannot undo ship").contains("\tat ");
        assertThat(linesContaining(output, "cannot undo ship")).hasSize(1);
        assertThat(linesContaining(output, "WARN")).singleElement().asString().contains("Saga order (" + id
                + ") rolled back after step charge failed with IllegalStateException: card declined; compensated [charge]; "
                + "compensations failed [ship]; left un-compensated [ship, reserve]");
    }

    @Test
    void everyFailedCompensationLogsItsOwnError(CapturedOutput output) {
        SagaExecutor continuing = SagaExecutor.builder().rollbackPolicy(RollbackPolicy.CONTINUE).listener(new SagaLoggingListener())
                .listener(ids).build();
        assertThatExceptionOfType(CompensationFailedException.class)
                .isThrownBy(() -> continuing.execute(saga("order", irreversible("reserve"), irreversible("ship"), failing("charge", "declined"))));
        assertThat(linesContaining(output, "ERROR")).satisfiesExactly(
                ship -> assertThat(ship).contains("Compensation of step ship in saga order"),
                reserve -> assertThat(reserve).contains("Compensation of step reserve in saga order"));
        assertThat(linesContaining(output, "WARN")).singleElement().asString()
                .contains("compensated [charge]; compensations failed [ship, reserve]; left un-compensated [ship, reserve]");
    }

    @Test
    void retriedCompensationLogsOneErrorAfterTheLastAttempt(CapturedOutput output) {
        SagaExecutor retrying = SagaExecutor.builder().compensationRetry(3, Duration.ZERO).listener(new SagaLoggingListener()).listener(ids)
                .build();
        assertThatExceptionOfType(CompensationFailedException.class)
                .isThrownBy(() -> retrying.execute(saga("order", irreversible("ship"), failing("charge", "declined"))));
        assertThat(linesContaining(output, "ERROR")).singleElement().asString()
                .contains("Compensation of step ship in saga order (" + sagaIds.get(0) + ") failed after 3 attempts");
    }

    /** A step that runs until the clock has moved, so that its measured duration is positive on any clock. */
    private static Action<String> ticking(String name) {
        return Reversible.<String>action(context -> {
            ClockTicks.untilTheClockMoves();
            return name;
        }, context -> { }).named(name);
    }

    /** Log lines (not stack-trace lines) containing {@code text}, whatever the logging pattern in effect. */
    private static List<String> linesContaining(CapturedOutput output, String text) {
        return output.getAll().lines().filter(line -> line.contains(text)).filter(line -> !line.startsWith("\t")).toList();
    }

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

    private static Action<String> failing(String name, String message) {
        return Reversible.<String>action(context -> {
            throw new IllegalStateException(message);
        }, context -> {
        }).named(name);
    }

    private static Action<String> irreversible(String name) {
        return Reversible.action(context -> name, context -> {
            throw new IllegalStateException("cannot undo " + name);
        }).named(name);
    }
}
