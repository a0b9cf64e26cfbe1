package dev.reversible.core;

import static dev.reversible.core.Failures.thrownBy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Rule 3: nothing is lost when a compensation fails. */
class CompensationFailedExceptionTests {

    private final Calls calls = new Calls();

    @Test
    void carriesTheOriginalAsCauseAndEveryCompensationFailureAsSuppressed() {
        IOException original = new IOException("original");
        IllegalStateException first = new IllegalStateException("first");
        IllegalStateException second = new IllegalStateException("second");

        CompensationFailedException e = new CompensationFailedException(original, List.of(first, second), List.of("b", "a"));

        assertThat(e.getCause()).isSameAs(original);
        assertThat(e.failures()).containsExactly(first, second);
        assertThat(e.getSuppressed()).containsExactly(first, second);
        assertThat(e.pending()).containsExactly("b", "a");
        assertThat(e).isInstanceOf(RuntimeException.class);
    }

    @Test
    void copiesTheListsItIsGivenAndHandsOutUnmodifiableViews() {
        List<Throwable> failures = new ArrayList<>(List.of(new IllegalStateException("f")));
        List<String> pending = new ArrayList<>(List.of("a"));
        CompensationFailedException e = new CompensationFailedException(new IOException("o"), failures, pending);

        failures.clear();
        pending.clear();

        assertThat(e.failures()).hasSize(1);
        assertThat(e.pending()).containsExactly("a");
        assertThatThrownBy(() -> e.failures().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> e.pending().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void messageSaysHowManyFailedWhatIsLeftAndWhy() {
        CompensationFailedException e = new CompensationFailedException(new IOException("disk full"),
                List.of(new IllegalStateException("f")), List.of("charge", "reserve"));

        assertThat(e.getMessage()).contains("1 compensation(s) failed").contains("[charge, reserve]").contains("disk full");
    }

    @Test
    void messageCopesWithoutAnOriginal() {
        CompensationFailedException e = new CompensationFailedException(null, List.of(), List.of());

        assertThat(e.getCause()).isNull();
        assertThat(e.getMessage()).contains("none");
    }

    @Test
    void nothingIsLostWhenTheSagasRollbackFails() {
        IOException original = new IOException("charge declined");
        IllegalStateException undoReserve = new IllegalStateException("warehouse offline");

        Throwable thrown = thrownBy(() -> Reversible.execute(Reversible.gen(saga -> {
            saga.run(Step.ok(calls, "reserve").compensationFailing(undoReserve));
            saga.run(Step.ok(calls, "charge").failing(original));
            return null;
        })));

        assertThat(thrown).isInstanceOf(CompensationFailedException.class);
        CompensationFailedException e = (CompensationFailedException) thrown;
        assertThat(e.getCause()).isSameAs(original);
        assertThat(e.failures()).containsExactly(undoReserve);
        assertThat(e.getSuppressed()).containsExactly(undoReserve);
        assertThat(e.pending()).containsExactly("reserve");
        assertThat(calls.list()).containsExactly("reserve", "charge", "undo charge", "undo reserve");
    }

    @Test
    void checkedCompensationFailureIsKeptAsItIs() {
        IOException original = new IOException("original");
        Exception checked = new Exception("checked compensation failure");

        Throwable thrown = thrownBy(() -> Reversible.execute(Step.ok(calls, "a").failing(original).compensationFailing(checked)));

        assertThat(((CompensationFailedException) thrown).failures()).containsExactly(checked);
        assertThat(thrown.getCause()).isSameAs(original);
    }
}
