package dev.reversible.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.function.Supplier;

import dev.reversible.core.CompensationFailedException;
import dev.reversible.test.SagaVerification.Run;
import dev.reversible.test.SagaVerification.Status;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/**
 * Fails each step of a saga in turn and checks that every rollback restores the application's state — so
 * that no compensation goes untested — and makes each compensation fail in turn, checking that its
 * failure reaches the caller and nothing is silently lost.
 *
 * <pre>{@code
 * @Autowired SagaVerifier verifier;
 *
 * @Test
 * void everyStepOfPlaceOrderIsUndone() {
 *     verifier.forEachStep(() -> orders.placeOrder(new NewOrder("alice", "BOOK-1", 1, "DE")), this::stockBalancesAndShipments);
 * }
 * }</pre>
 *
 * <p>The runs, each with the injections of the {@link FailureInjector} (taken back after the run):
 * <ol>
 * <li>a learning run without failures, which must complete: it finds the saga (the one the call runs)
 * and its steps in order;</li>
 * <li>for each step k: step k's {@code forwards} replaced by an {@link InjectedFailureException} (the n-th call
 * of its action, when the action appears more than once). The call must fail, the saga must be compensated
 * completely, and the state after must equal the state before;</li>
 * <li>once with the body failing after its last step: the saga's {@code @ReversibleSaga} method runs to its
 * end, then throws instead of returning ({@link FailureInjector#failSagaOnReturn}), so every step is
 * compensated after it completed — the only run where the last step's compensation sees a completed step.
 * A saga that is no {@code @ReversibleSaga} method (a programmatic saga, a lone action) cannot be failed
 * there without touching its code: this run is then reported as skipped;</li>
 * <li>for each action among the steps: the saga failed (after its last step, or at it when that run was
 * skipped) while every attempt of that action's compensation fails. The call must fail with a
 * {@link CompensationFailedException} in its cause chain that holds the injected failure and lists the step
 * as pending; the recorder must show the compensation failed; and every step must be accounted for as
 * compensated, pending or undone by its transaction — and, with the durable journal, the saga must be in it
 * {@code COMPENSATING} or {@code STUCK}. The state is not compared: a failed compensation leaves its step's
 * work behind, by design.</li>
 * </ol>
 * Each run takes its own snapshot before it starts, so the call must be repeatable from the state the
 * previous run left (enough stock and balance for a few orders, say). The state is any value with a
 * meaningful {@code equals}; maps and lists are compared entry by entry, and the report names the entries
 * that differ.
 *
 * <p>Asynchronous sagas: when the call returns a {@code CompletionStage} (an asynchronous saga's future),
 * each run waits for it, at most the timeout, and the failure it completes with is the call's. Each run
 * then waits, at most the timeout too, until the recorder has seen every saga the call started end — so a
 * saga that ends on another thread after the call returned (an {@code @Async} caller that does not wait)
 * is snapshotted after its rollback, never during it. Such a caller cannot see the saga's failure: for it,
 * the runs check what the recorder saw instead of what the call threw.
 * The timeout is {@code reversible.test.await-timeout} (10 seconds by default), or {@link #withTimeout}.
 */
public final class SagaVerifier {

    /** How long a run waits for the call's future and for its sagas to end, unless configured. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final SagaRecorder recorder;
    private final FailureInjector injector;
    private final Duration timeout;

    /**
     * @param recorder where the runs are seen
     * @param injector how the failures are made
     */
    public SagaVerifier(SagaRecorder recorder, FailureInjector injector) {
        this(recorder, injector, DEFAULT_TIMEOUT);
    }

    /**
     * @param recorder where the runs are seen
     * @param injector how the failures are made
     * @param timeout how long a run waits at most for the call's future, and for the sagas it started to end
     */
    public SagaVerifier(SagaRecorder recorder, FailureInjector injector, Duration timeout) {
        this.recorder = Objects.requireNonNull(recorder, "recorder must not be null");
        this.injector = Objects.requireNonNull(injector, "injector must not be null");
        this.timeout = Objects.requireNonNull(timeout, "timeout must not be null");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
    }

    /**
     * @param timeout how long a run waits at most for the call's future, and for the sagas it started to end
     * @return a verifier like this one waiting that long
     */
    public SagaVerifier withTimeout(Duration timeout) {
        return new SagaVerifier(recorder, injector, timeout);
    }

    /** @return how long a run waits at most for the call's future, and for the sagas it started to end */
    public Duration timeout() {
        return timeout;
    }

    /**
     * Runs the saga once per step and once per compensation, as the class describes, waiting for the future the
     * call returns: for an asynchronous saga ({@code () -> orders.placeOrderAsync(order)}).
     * @param saga runs the saga once, as the application's caller would (it may throw, or return a future that fails)
     * @param state takes a snapshot of the application's state
     * @return what every run did
     * @throws AssertionError when a run found a problem, as {@link #forEachStep(ThrowingCallable, Supplier)} says
     */
    public SagaVerification forEachStep(Callable<?> saga, Supplier<?> state) {
        Objects.requireNonNull(saga, "saga must not be null");
        return verify(saga::call, state);
    }

    /**
     * Runs the saga once per step and once per compensation, as the class describes.
     * @param saga runs the saga once, as the application's caller would (it may throw)
     * @param state takes a snapshot of the application's state
     * @return what every run did
     * @throws AssertionError when a run found a problem, with every run's result and, for a state left
     *     changed, the entries that differ and the compensations that may have left them
     */
    public SagaVerification forEachStep(ThrowingCallable saga, Supplier<?> state) {
        Objects.requireNonNull(saga, "saga must not be null");
        return verify(() -> {
            saga.call();
            return null;
        }, state);
    }

    private SagaVerification verify(SagaCall saga, Supplier<?> state) {
        Objects.requireNonNull(state, "state must not be null");
        RecordedSaga learned = learn(saga, state);
        List<String> steps = learned.stepNames();
        List<Run> runs = new ArrayList<>();
        runs.add(new Run("learning run without failures: completed" + (recorder.endedOnThisThread(learned.id()) ? ""
                : " (on another thread: the runs wait for the recorder to see each saga end)"), Status.PASSED, ""));
        for (int k = 0; k < steps.size(); k++) {
            runs.add(failAtStep(saga, state, learned.name(), steps, k, k == 0 || runs.get(runs.size() - 1).status() == Status.PASSED));
        }
        Run afterLast = failAfterLastStep(saga, state, learned.name(), steps, runs.get(runs.size() - 1).status() == Status.PASSED);
        runs.add(afterLast);
        boolean onReturn = afterLast.status() != Status.SKIPPED;
        for (String action : new ArrayList<>(new LinkedHashSet<>(steps))) {
            runs.add(failCompensation(saga, learned.name(), steps, action, onReturn));
        }
        SagaVerification verification = new SagaVerification(learned.name(), steps, runs);
        if (!verification.problems().isEmpty()) {
            throw new AssertionError("Saga " + learned.name() + ": " + verification.problems().size() + " of " + runs.size()
                    + " runs found a problem" + System.lineSeparator() + verification.report());
        }
        return verification;
    }

    private RecordedSaga learn(SagaCall saga, Supplier<?> state) {
        state.get();
        int mark = recorder.sagas().size();
        Called called = call(saga, mark, null);
        if (called.thrown() != null) {
            throw new AssertionError("The learning run must complete without injected failures, to find the saga's steps, but the call threw "
                    + called.thrown(), called.thrown());
        }
        List<RecordedSaga> sagas = since(mark);
        if (called.unfinished() != null && sagas.isEmpty()) {
            throw new AssertionError("The call must run exactly one outermost saga, but it ran 0 (waited " + timeout
                    + " for one to start and end): []");
        }
        if (called.unfinished() != null) {
            throw new AssertionError("The learning run's saga must end, but " + called.unfinished() + ": "
                    + sagas.stream().map(RecordedSaga::describe).toList());
        }
        if (sagas.size() != 1) {
            throw new AssertionError("The call must run exactly one outermost saga, but it ran " + sagas.size() + ": "
                    + sagas.stream().map(RecordedSaga::describe).toList());
        }
        RecordedSaga learned = sagas.get(0);
        if (learned.outcome() != SagaOutcome.COMPLETED) {
            throw new AssertionError("The learning run's saga must complete, but it ended " + learned.outcome() + ": " + learned.describe());
        }
        if (learned.steps().isEmpty()) {
            throw new AssertionError("Saga " + learned.name() + " ran no step: there is no compensation to verify");
        }
        return learned;
    }

    private Run failAtStep(SagaCall saga, Supplier<?> state, String sagaName, List<String> steps, int k, boolean previousRestored) {
        String step = steps.get(k);
        int occurrence = Collections.frequency(steps.subList(0, k + 1), step);
        String description = "failing at step " + (k + 1) + " '" + step + "' (an injected failure replaces its forwards)";
        InjectedFailureException failure = new InjectedFailureException("Injected by SagaVerifier: step " + (k + 1) + " '" + step + "' of "
                + sagaName + " fails instead of running");
        Injection injection = injector.failActionOnCall(step, occurrence, failure);
        String suspects = k == 0 ? "the handler of '" + step + "' after its own failure"
                : previousRestored ? "new in this run (failing at step " + k + " restored the state): the compensation of '" + steps.get(k - 1)
                        + "' after it completed, or the handler of '" + step + "' after its own failure"
                        : "any compensation that ran";
        return restoringRun(saga, state, sagaName, description, injection, "step " + (k + 1) + " '" + step + "' was never called", suspects);
    }

    private Run failAfterLastStep(SagaCall saga, Supplier<?> state, String sagaName, List<String> steps, boolean previousRestored) {
        String description = "failing after the last step (the body of " + sagaName + " throws instead of returning)";
        InjectedFailureException failure = new InjectedFailureException("Injected by SagaVerifier: " + sagaName + " fails after its last step");
        Injection injection = injector.failSagaOnReturn(sagaName, failure);
        String last = steps.get(steps.size() - 1);
        String suspects = previousRestored ? "new in this run (failing at the last step restored the state): the compensation of '" + last
                + "' after it completed" : "any compensation that ran";
        return restoringRun(saga, state, sagaName, description, injection, null, suspects);
    }

    /** A run with a failure injected in forwards: the call must fail, the saga be compensated and the state restored. */
    private Run restoringRun(SagaCall saga, Supplier<?> state, String sagaName, String description, Injection injection,
            String notReached, String suspects) {
        Object before = state.get();
        int mark = recorder.sagas().size();
        Called called;
        try {
            called = call(saga, mark, sagaName);
        }
        finally {
            injection.remove();
        }
        Throwable thrown = called.thrown();
        if (called.unfinished() != null) {
            return new Run(description, Status.FAILED, called.unfinished() + "; recorded since the run started: "
                    + since(mark).stream().map(RecordedSaga::describe).toList());
        }
        Object after = state.get();
        if (injection.timesFired() == 0) {
            if (notReached == null) {
                return new Run(description, Status.SKIPPED, sagaName + " is no @ReversibleSaga method (a programmatic saga or a lone action): "
                        + "its body cannot be made to fail after its last step without changing its code; that call completed");
            }
            return new Run(description, Status.FAILED, notReached + " in this run: the saga took another path than in the learning run"
                    + (thrown == null ? "" : " and failed with " + thrown));
        }
        List<String> problems = new ArrayList<>();
        RecordedSaga run = sagaOf(sagaName, mark);
        boolean detached = detached(called, run);
        if (thrown == null && !detached) {
            problems.add("the call returned normally: the saga handled the injected failure, so it was not rolled back");
        }
        if (run == null) {
            problems.add("no saga named " + sagaName + " was recorded");
        }
        else if ((thrown != null || detached) && run.outcome() != SagaOutcome.COMPENSATED) {
            problems.add("the saga ended " + run.outcome() + " instead of COMPENSATED: failed compensations " + failures(run) + ", pending "
                    + run.pending());
        }
        List<String> differences = StateDiff.differences(before, after);
        if (!differences.isEmpty()) {
            problems.add("the rollback left the state changed:\n  " + String.join("\n  ", differences)
                    + "\ncompensations that ran: " + (run == null ? "unknown" : RecordedSagaAssert.describe(run.compensations()))
                    + "\nwhat left it: " + suspects);
        }
        return problems.isEmpty() ? new Run(description, Status.PASSED, "") : new Run(description, Status.FAILED, String.join("\n", problems));
    }

    /** A run whose rollback meets a failing compensation: the failure must reach the caller, and every step be accounted for. */
    private Run failCompensation(SagaCall saga, String sagaName, List<String> steps, String action, boolean onReturn) {
        String last = steps.get(steps.size() - 1);
        String description = "the compensation of '" + action + "' failing on every attempt, the saga failing "
                + (onReturn ? "after its last step" : "at its last step '" + last + "'");
        InjectedFailureException trigger = new InjectedFailureException("Injected by SagaVerifier: " + sagaName + " fails "
                + (onReturn ? "after its last step" : "at its last step '" + last + "'"));
        InjectedFailureException compensationFailure = new InjectedFailureException("Injected by SagaVerifier: the compensation of '" + action
                + "' fails");
        Injection failing = onReturn ? injector.failSagaOnReturn(sagaName, trigger)
                : injector.failActionOnCall(last, Collections.frequency(steps, last), trigger);
        Injection compensation = injector.failCompensation(action, compensationFailure);
        int mark = recorder.sagas().size();
        Called called;
        try {
            called = call(saga, mark, sagaName);
        }
        finally {
            failing.remove();
            compensation.remove();
        }
        Throwable thrown = called.thrown();
        if (called.unfinished() != null) {
            return new Run(description, Status.FAILED, called.unfinished() + "; recorded since the run started: "
                    + since(mark).stream().map(RecordedSaga::describe).toList());
        }
        RecordedSaga run = sagaOf(sagaName, mark);
        if (failing.timesFired() == 0) {
            return new Run(description, Status.FAILED, "the saga did not reach its last step in this run: it took another path than in the "
                    + "learning run" + (thrown == null ? "" : " and failed with " + thrown));
        }
        if (compensation.timesFired() == 0) {
            if (run != null && run.undoneByTransaction().contains(action)) {
                return new Run(description, Status.SKIPPED, "'" + action + "' was undone by its transaction: no handler ran");
            }
            if (run != null && run.pending().contains(action) && !run.failedCompensations().isEmpty()) {
                return new Run(description, Status.SKIPPED, "the rollback stopped before it reached '" + action + "': the compensation of "
                        + run.failedCompensations() + " failed first (under ABORT the rest stays pending)");
            }
            return new Run(description, Status.SKIPPED, "the handler of '" + action + "' was not called through the bean's proxy "
                    + "(a private or final handler cannot be made to fail)");
        }
        List<String> problems = new ArrayList<>();
        CompensationFailedException reported = compensationFailedIn(thrown);
        if (detached(called, run)) {
            // Nobody waited for this saga: what reaches "the caller" is what every listener sees, so check that.
            if (run.compensations().stream().noneMatch(c -> c.step().equals(action) && c.failure() == compensationFailure)) {
                problems.add("the recorder does not show the injected failure of the compensation of '" + action + "': "
                        + RecordedSagaAssert.describe(run.compensations()));
            }
            if (!run.pending().contains(action)) {
                problems.add("the rollback report does not list '" + action + "' as pending: " + run.pending());
            }
        }
        else if (thrown == null) {
            problems.add("the call returned normally: the failed compensation of '" + action + "' was swallowed");
        }
        else if (reported == null) {
            problems.add("the caller got " + thrown + " without a CompensationFailedException in its causes: the failed compensation of '"
                    + action + "' is lost to the caller");
        }
        else {
            if (reported.failures().stream().noneMatch(f -> f == compensationFailure)) {
                problems.add("the CompensationFailedException does not hold the injected failure of '" + action + "': " + reported.failures());
            }
            if (!reported.pending().contains(action)) {
                problems.add("the CompensationFailedException does not list '" + action + "' as pending: " + reported.pending());
            }
        }
        if (run == null) {
            problems.add("no saga named " + sagaName + " was recorded");
        }
        else {
            if (run.outcome() != SagaOutcome.COMPENSATION_FAILED || !run.failedCompensations().contains(action)) {
                problems.add("the recorder shows " + run.describe() + " with compensations " + RecordedSagaAssert.describe(run.compensations())
                        + ", not the failed compensation of '" + action + "'");
            }
            List<String> unaccounted = unaccounted(steps, run);
            if (!unaccounted.isEmpty()) {
                problems.add("steps neither compensated, nor pending, nor undone by their transaction (silently lost): " + unaccounted);
            }
            String journaled = journaled(run);
            if (journaled != null) {
                problems.add(journaled);
            }
        }
        return problems.isEmpty() ? new Run(description, Status.PASSED, "") : new Run(description, Status.FAILED, String.join("\n", problems));
    }

    /** @return the steps the rollback report does not account for, one entry per missing occurrence */
    private static List<String> unaccounted(List<String> steps, RecordedSaga run) {
        Map<String, Integer> left = new HashMap<>();
        steps.forEach(step -> left.merge(step, 1, Integer::sum));
        if (run.rollback() != null) {
            run.rollback().compensated().forEach(step -> left.merge(step, -1, Integer::sum));
            run.rollback().pending().forEach(step -> left.merge(step, -1, Integer::sum));
            run.rollback().undoneByTransaction().forEach(step -> left.merge(step, -1, Integer::sum));
        }
        List<String> missing = new ArrayList<>();
        for (String step : new LinkedHashSet<>(steps)) {
            for (int i = 0; i < left.get(step); i++) {
                missing.add(step);
            }
        }
        return missing;
    }

    /**
     * With the durable journal, a saga left with a pending step must be there for its persistent retries or an
     * operator: {@code COMPENSATING} or {@code STUCK}.
     * @return the problem, or {@code null}
     */
    private static String journaled(RecordedSaga run) {
        if (!run.hasJournal()) {
            return null;
        }
        Optional<JournalEntry> entry = run.journalEntry();
        if (entry.isEmpty()) {
            return "the durable journal has no saga " + run.id() + ": its pending steps are lost to the persistent retries and operators";
        }
        String status = entry.get().status();
        return status.equals("STUCK") || status.equals("COMPENSATING") ? null
                : "the durable journal shows the saga " + entry.get().describe() + ", not COMPENSATING or STUCK: its pending steps are lost "
                        + "to the persistent retries and operators";
    }

    private static CompensationFailedException compensationFailedIn(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CompensationFailedException reported) {
                return reported;
            }
        }
        return null;
    }

    private static String failures(RecordedSaga run) {
        return run.compensations().stream().filter(c -> c.outcome() == RecordedCompensation.Outcome.FAILED)
                .map(RecordedCompensationAssert::describe).toList().toString();
    }

    /**
     * Calls the saga, waits for the future it returns (if any), then for the sagas it started to end.
     * @param sagaName the saga to wait for, or {@code null} for whichever the call starts
     */
    private Called call(SagaCall saga, int mark, String sagaName) {
        Throwable thrown = null;
        boolean returnedStage = false;
        String unfinished = null;
        try {
            Object result = saga.call();
            if (result instanceof CompletionStage<?> stage) {
                returnedStage = true;
                try {
                    stage.toCompletableFuture().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
                }
                catch (ExecutionException e) {
                    thrown = e.getCause();
                }
                catch (TimeoutException e) {
                    unfinished = "the future the call returned did not complete within " + timeout;
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    unfinished = "the run was interrupted while waiting for the future the call returned";
                }
            }
        }
        catch (Throwable failure) {
            thrown = failure;
        }
        Predicate<List<RecordedSaga>> ended = sagas -> (sagaName == null ? !sagas.isEmpty()
                : sagas.stream().anyMatch(s -> s.name().equals(sagaName))) && sagas.stream().allMatch(RecordedSaga::hasEnded);
        if (unfinished == null && recorder.awaitSince(mark, ended, timeout) == null) {
            unfinished = (sagaName == null ? "the sagas the call started" : "saga " + sagaName) + " had not ended " + timeout
                    + " after the call returned";
        }
        return new Called(thrown, returnedStage, unfinished);
    }

    /** @return whether the call neither waited for the saga nor could see its failure: it ended on another thread after the call returned */
    private boolean detached(Called called, RecordedSaga run) {
        return called.thrown() == null && !called.returnedStage() && run != null && !recorder.endedOnThisThread(run.id());
    }

    /** A call of the saga, returning what it returns (a future is waited for). */
    @FunctionalInterface
    private interface SagaCall {
        Object call() throws Throwable;
    }

    /**
     * @param thrown what the call threw, or its future failed with; {@code null} when it returned normally
     * @param returnedStage whether it returned a future, which was waited for
     * @param unfinished what did not end within the timeout, or {@code null}
     */
    private record Called(Throwable thrown, boolean returnedStage, String unfinished) {
    }

    private List<RecordedSaga> since(int mark) {
        List<RecordedSaga> sagas = recorder.sagas();
        return sagas.subList(Math.min(mark, sagas.size()), sagas.size());
    }

    /** @return the last saga of that name recorded since the mark, or {@code null} */
    private RecordedSaga sagaOf(String sagaName, int mark) {
        List<RecordedSaga> sagas = since(mark).stream().filter(s -> s.name().equals(sagaName)).toList();
        return sagas.isEmpty() ? null : sagas.get(sagas.size() - 1);
    }
}
