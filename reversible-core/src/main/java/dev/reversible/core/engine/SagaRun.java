package dev.reversible.core.engine;

import dev.reversible.core.Action;
import dev.reversible.core.AsyncAction;
import dev.reversible.core.CompensationFailedException;
import dev.reversible.core.CompensationMode;
import dev.reversible.core.RecordedSaga;
import dev.reversible.core.RollbackReport;
import dev.reversible.core.SagaCancelledException;
import dev.reversible.core.SagaInfo;
import dev.reversible.core.SagaJournal;
import dev.reversible.core.SagaRecord;
import dev.reversible.core.SagaStoppedException;
import dev.reversible.core.SagaTimeoutException;
import dev.reversible.core.StepInfo;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One execution of an outermost saga: its identity, the events it sends and, only while someone
 * listens, what its rollback did (for {@link RollbackReport}). Allocated once per saga; the success
 * path allocates nothing more.
 */
final class SagaRun implements SagaInfo {

    /** Random per JVM, so that ids stay unique across instances sharing a journal later. */
    private static final String JVM_PREFIX = Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private static final VarHandle NEXT_STEP_INDEX;

    static {
        try {
            NEXT_STEP_INDEX = MethodHandles.lookup().findVarHandle(SagaRun.class, "nextStepIndex", int.class);
            STATE = MethodHandles.lookup().findVarHandle(SagaRun.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final VarHandle STATE;
    /** {@link #state} bits: cancelled (it fails at its next step boundary); past its last boundary; in the registry. */
    private static final int CANCELLED = 1;
    private static final int ENDED = 2;
    private static final int REGISTERED = 4;

    // Fields are few on purpose: one of these is allocated per saga, and the core's success path is measured in bytes.
    private final String name;
    private final SyncEngine engine;
    /** The saga's deadline, or {@code null} for none. */
    private Deadline deadline;
    /** Whether its compensations run in happens-before order (rule 15) rather than strictly one after another. */
    private boolean parallel;
    /**
     * Read at every step boundary, in opaque mode: a cancellation must become visible to the saga's thread, but a
     * step boundary orders nothing else by it (an acquiring read there cost the hot path several nanoseconds a step).
     */
    private volatile int state;
    private final boolean listening;
    /** The saga's record in the executor's journal, or {@code null}: none, or this run is not recorded. */
    private SagaRecord record;
    private volatile String id;
    /**
     * Steps may start on several threads at once in an asynchronous saga: counted plainly until it has asynchronous
     * steps, atomically after.
     */
    private int nextStepIndex;

    /** Whether steps are wrapped as {@link PlacedStep}s: a record or a listener needs them. Read once per step. */
    private boolean placing;
    /**
     * Rollback bookkeeping for the report, made on the first failure while someone listens: a saga that succeeds
     * never allocates it, and its run stays small. Touched under this run's lock (failures may come from several
     * threads in an asynchronous saga).
     */
    private Bookkeeping books;

    /** What a rollback did, for {@link RollbackReport}. */
    private static final class Bookkeeping {
        String lastFailedStep;
        Throwable lastStepFailure;
        List<String> compensated;
        List<String> failedCompensations;
        List<String> undoneByTransaction;
        /** Steps met without their place, each with its one {@code StepInfo} (see {@link SagaRun#info(Object)}). */
        java.util.Map<Object, StepInfo> unplaced;
        /** The failure the latest (so, at the end, the outermost) composite decided to keep its steps for. */
        Throwable keptFailure;
    }

    /** @return the bookkeeping, made on first use; call under this run's lock */
    private Bookkeeping books() {
        Bookkeeping made = books;
        if (made == null) {
            made = new Bookkeeping();
            books = made;
        }
        return made;
    }

    SagaRun(String name, SyncEngine engine) {
        this.name = name;
        this.engine = engine;
        // A journal needs the rollback's report, as a listener does.
        this.listening = !engine.settings().listeners().isEmpty() || engine.settings().journal() != null;
        this.placing = listening;
    }

    /**
     * A run of a saga known from its record ({@link RecordedSaga}): it keeps the recorded id and failed step, and
     * its bookkeeping is on even when nobody listens, since its caller gets the report.
     */
    SagaRun(RecordedSaga recorded, SyncEngine engine) {
        this.name = recorded.name();
        this.engine = engine;
        this.listening = true;
        this.id = recorded.id();
        Bookkeeping recordedBooks = books();
        recordedBooks.lastFailedStep = recorded.failedStep();
        recordedBooks.lastStepFailure = recorded.failure();
    }

    /** @return whether steps are placed ({@link #placed}): kept out of the step path's call when they are not */
    boolean isPlacing() {
        return placing;
    }

    /**
     * Applies an outermost composite's options: its deadline starts now. Call before {@link #open()}.
     */
    void configure(SagaOptions options) {
        if (options.timeout() != null) {
            deadline = new Deadline(options.timeout());
        }
        parallel = options.compensation() == CompensationMode.PARALLEL;
    }

    /** @return whether this saga's compensations run in happens-before order (rule 15) */
    boolean isParallel() {
        return parallel;
    }

    /**
     * The boundary where a step would start: a cancelled saga, or one past its deadline, fails here instead.
     * @throws SagaStoppedException when the step must not start
     */
    void checkStepStart() {
        // One branch on the hot path; what it may throw is built out of line, so that this stays small enough to inline.
        if (deadline != null || ((int) STATE.getOpaque(this) & CANCELLED) != 0) {
            stopAtStepStart();
        }
    }

    private void stopAtStepStart() {
        if (((int) STATE.getOpaque(this) & CANCELLED) != 0) {
            throw new SagaCancelledException(this);
        }
        Deadline due = deadline;
        if (due != null && System.nanoTime() - due.at >= 0) {
            throw new SagaTimeoutException(this, due.timeout);
        }
    }

    /**
     * The boundary where a step has just ended (it took its place, so a rollback undoes it).
     * @throws SagaCancelledException when the saga was cancelled meanwhile
     */
    void checkStepEnd() {
        if (((int) STATE.getOpaque(this) & CANCELLED) != 0) {
            throw cancelled();
        }
    }

    private SagaCancelledException cancelled() {
        return new SagaCancelledException(this);
    }

    /**
     * The last boundary, where the saga would complete: from now on it can no longer be cancelled.
     * @return {@code null} when it may complete, else the {@link SagaCancelledException} it fails with instead
     */
    SagaCancelledException checkCompletion() {
        if ((state & REGISTERED) == 0) {
            return null;   // nobody knows its id: nobody can cancel it
        }
        int before = (int) STATE.getAndBitwiseOr(this, ENDED);
        return (before & CANCELLED) != 0 ? new SagaCancelledException(this) : null;
    }

    /**
     * Cancels this saga: it fails at its next step boundary.
     * @return whether it was still running and not cancelled already
     */
    boolean cancel() {
        int before = (int) STATE.getAndBitwiseOr(this, CANCELLED);
        return (before & (CANCELLED | ENDED)) == 0;
    }

    /** @return whether {@code failure} is this saga's own stop — it always rolls back, whatever a rollback rule says */
    boolean isStop(Throwable failure) {
        return failure instanceof SagaStoppedException stopped && stopped.sagaId().equals(id);
    }

    /** @return the saga's deadline, or {@code null} for none */
    Deadline deadline() {
        return deadline;
    }

    /** Opens the saga's record, when the executor has a journal: an outermost saga starts. */
    void open() {
        SagaJournal journal = engine.settings().journal();
        if (journal != null) {
            record = journal.open(this);
            placing = true;
        }
    }

    /**
     * @return {@code step} placed so that the saga's record and listeners see it as one {@link StepInfo} object,
     *     or {@code step} itself when nobody needs that (no record; no listener, or the step is a {@code StepInfo})
     */
    <T> Action<T> placed(Action<T> step) {
        if (!placing) {
            return step;
        }
        if (record != null) {
            return new PlacedStep.Sync<>(record, step);
        }
        return listening && !(step instanceof StepInfo) ? new PlacedStep.Sync<>(PlacedStep.NO_RECORD, step) : step;
    }

    /** @return {@code step} placed as {@link #placed(Action)} places a synchronous one */
    <T> AsyncAction<T> placed(AsyncAction<T> step) {
        if (!placing) {
            return step;
        }
        if (record != null) {
            return new PlacedStep.Async<>(record, step, deadline);
        }
        return listening && !(step instanceof StepInfo) ? new PlacedStep.Async<>(PlacedStep.NO_RECORD, step, deadline) : step;
    }

    /** @return the step as its events carry it: placed steps are {@code StepInfo}s already (see {@link #placed}) */
    private StepInfo info(Object step, int index, int parentIndex) {
        return PlacedStep.of(step, this, index, parentIndex);
    }

    /**
     * A step met without its place — only a composite's direct {@code backwards()} outside any saga hands its
     * leaves over unplaced — gets one {@code StepInfo} for all its events, so that listeners can still pair them.
     */
    private StepInfo info(Object step) {
        if (step instanceof StepInfo info) {
            return info;
        }
        synchronized (this) {
            Bookkeeping bookkeeping = books();
            if (bookkeeping.unplaced == null) {
                bookkeeping.unplaced = new java.util.IdentityHashMap<>();
            }
            return bookkeeping.unplaced.computeIfAbsent(step, leaf -> PlacedStep.of(leaf, this, -1, -1));
        }
    }

    /** Whether steps may start and end on several threads: set by the first asynchronous step, never unset. */
    private volatile boolean shared;

    /** Marks the saga as having asynchronous steps: from now on its journals change under its lock. */
    void share() {
        shared = true;
    }

    /** @return whether the saga has (or had) asynchronous steps, so that its journals need its lock */
    boolean isShared() {
        return shared;
    }

    /** @return the engine running this saga's synchronous steps */
    SyncEngine engine() {
        return engine;
    }

    /** @return how many steps of the saga have started so far (the index the next one will get) */
    int startedSteps() {
        return shared ? (int) NEXT_STEP_INDEX.getVolatile(this) : nextStepIndex;
    }

    /** @return the index of a step that starts now (rule 14) */
    int nextStepIndex() {
        return shared ? (int) NEXT_STEP_INDEX.getAndAdd(this, 1) : nextStepIndex++;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String id() {
        String value = id;
        if (value == null) {
            value = assignId();
        }
        return value;
    }

    /**
     * Drawn on first use, not at start: the success path rarely asks, and many concurrent sagas would
     * otherwise all contend on one counter for nothing.
     */
    private synchronized String assignId() {
        if (id == null) {
            id = JVM_PREFIX + "-" + SEQUENCE.incrementAndGet();
            // Whoever knows the id may cancel the saga: only then does it take a place in the registry. (A run known
            // from its record has its id from the start, and never comes here.) An id first asked for after the end
            // (a log line, a late listener) leaves at once: whichever of the two comes second takes it out.
            engine.register(id, this);
            int before = (int) STATE.getAndBitwiseOr(this, REGISTERED);
            if ((before & ENDED) != 0) {
                engine.deregister(this);
            }
        }
        return id;
    }

    /**
     * Leaves the engine's registry of running sagas, if it took a place there: the saga has ended. Called after every
     * event of the end, so that an id first asked for by a listener of the end leaves with it.
     */
    void leaveRegistry() {
        int before = (int) STATE.getAndBitwiseOr(this, ENDED);
        if ((before & REGISTERED) != 0) {
            engine.deregister(this);
        }
    }

    /** @return what the engine reads and changes in the API's objects beyond their public methods */
    CoreAccess access() {
        return engine.settings().access();
    }

    /**
     * Marks an incomplete rollback as this saga's own: an enclosing saga of another run treats it as an ordinary
     * failure, while this saga's enclosing composites carry on collecting into it.
     * @return {@code failure}
     */
    CompensationFailedException own(CompensationFailedException failure) {
        return access().from(failure, this);
    }

    /** @return whether {@code failure} is this saga's own incomplete rollback (see {@link #own}) */
    boolean owns(Throwable failure) {
        return failure instanceof CompensationFailedException incomplete && access().isFrom(incomplete, this);
    }

    private Listeners listeners() {
        return engine.settings().listeners();
    }

    @Override
    public String toString() {
        return "saga " + name + " (" + id() + ")";
    }

    /** @return a start time, or 0 when nobody listens (durations are then never read) */
    long now() {
        return listening ? System.nanoTime() : 0L;
    }

    /**
     * @return the clock when a step starts, for {@link #stepCompleted} and {@link #stepFailed}; 0 when nobody reads it
     *     (asked of the listeners rather than kept in a field: a run stays 48 bytes)
     */
    long stepStart() {
        return listening && !listeners().ignoresStepDurations() ? System.nanoTime() : 0L;
    }

    private long stepNanos(long start) {
        return listeners().ignoresStepDurations() ? 0L : System.nanoTime() - start;
    }

    private long since(long start) {
        return System.nanoTime() - start;
    }

    void sagaStarted() {
        if (listening) {
            listeners().sagaStarted(this);
        }
    }

    boolean isListening() {
        return listening;
    }

    /** @param thread this thread's holder when the caller has it at hand, else {@code null} */
    void stepStarted(Object step, int index, int parentIndex, ThreadScope thread) {
        if (listening) {
            listeners().stepStarted(this, info(step, index, parentIndex), thread);
        }
    }

    void stepPending(Object step) {
        if (listening) {
            listeners().stepPending(this, info(step));
        }
    }

    void compensationPending(Object leaf) {
        if (listening) {
            listeners().compensationPending(this, info(leaf));
        }
    }

    void sagaPending() {
        if (listening) {
            listeners().sagaPending(this);
        }
    }

    void compensationStarted(Object leaf) {
        if (listening) {
            listeners().compensationStarted(this, info(leaf));
        }
    }

    /** @param thread this thread's holder as the caller last saw it (it may have been unbound since), or {@code null} */
    void stepCompleted(Object step, long start, ThreadScope thread) {
        if (listening) {
            listeners().stepCompleted(this, info(step), stepNanos(start), thread);
        }
    }

    void stepFailed(Object leaf, long start, Throwable failure) {
        if (listening) {
            String step = Names.ofStep(leaf);
            synchronized (this) {
                Bookkeeping bookkeeping = books();
                bookkeeping.lastFailedStep = step;
                bookkeeping.lastStepFailure = failure;
            }
            listeners().stepFailed(this, info(leaf), stepNanos(start), failure);
        }
    }

    void compensationSucceeded(Object leaf, int attempts, long start) {
        if (listening) {
            String step = Names.ofStep(leaf);
            synchronized (this) {
                Bookkeeping bookkeeping = books();
                if (bookkeeping.compensated == null) {
                    bookkeeping.compensated = new ArrayList<>();
                }
                bookkeeping.compensated.add(step);
            }
            listeners().compensationSucceeded(this, info(leaf), attempts, since(start));
        }
    }

    void stepUndoneByTransaction(Object leaf) {
        if (listening) {
            String step = Names.ofStep(leaf);
            synchronized (this) {
                Bookkeeping bookkeeping = books();
                if (bookkeeping.undoneByTransaction == null) {
                    bookkeeping.undoneByTransaction = new ArrayList<>();
                }
                bookkeeping.undoneByTransaction.add(step);
            }
            listeners().stepUndoneByTransaction(this, info(leaf));
        }
    }

    void compensationFailed(Object leaf, int attempts, long start, Throwable failure) {
        if (listening) {
            String step = Names.ofStep(leaf);
            synchronized (this) {
                Bookkeeping bookkeeping = books();
                if (bookkeeping.failedCompensations == null) {
                    bookkeeping.failedCompensations = new ArrayList<>();
                }
                bookkeeping.failedCompensations.add(step);
            }
            listeners().compensationFailed(this, info(leaf), attempts, since(start), failure);
        }
    }

    void sagaCompleted(long start) {
        if (listening) {
            if (record != null) {
                recordEnd(record::sagaCompleted);
            }
            listeners().sagaCompleted(this, since(start));
        }
        leaveRegistry();
    }

    /** The record hears of the saga's end first, so that it is written before any listener or the caller learns it. */
    private void recordEnd(Runnable end) {
        try {
            end.run();
        } catch (Throwable e) {
            System.getLogger(SagaRecord.class.getName()).log(System.Logger.Level.WARNING,
                    "Saga record " + record + " failed on the end of " + this + "; ignored (rule 11)", e);
        }
    }

    /**
     * Records a composite's decision on a failure — composites decide from the innermost out, so the last
     * decision is the outermost's — and the rule is asked once per composite, never again for reporting.
     * @return {@code rollBack}
     */
    boolean decide(boolean rollBack, Throwable failure) {
        if (!rollBack) {
            synchronized (this) {
                books().keptFailure = failure;
            }
        } else if (books != null) {
            // Only a failure kept before needs forgetting: a saga that rolls back allocates nothing here.
            synchronized (this) {
                books.keptFailure = null;
            }
        }
        return rollBack;
    }

    private synchronized Throwable keptFailure() {
        return books == null ? null : books.keptFailure;
    }

    /** Reports how the saga ended with {@code thrown}. */
    void sagaEnded(long start, Throwable thrown) {
        if (!listening) {
            leaveRegistry();   // an id the body asked for (SagaScope.saga())
            return;
        }
        // A compensation of this saga that failed is a rollback, even when the failure that started it was kept
        // (noRollbackFor): the failed step's own compensation ran (rule 6) and its failure must be reported as such.
        boolean rolledBack = keptFailure() != thrown
                || owns(thrown);
        long nanos = since(start);
        if (rolledBack) {
            RollbackReport report = rolledBack(thrown);
            if (record != null) {
                recordEnd(() -> record.sagaRolledBack(report));
            }
            listeners().sagaRolledBack(this, nanos, report);
        } else {
            if (record != null) {
                recordEnd(() -> record.sagaFailed(thrown));
            }
            listeners().sagaFailed(this, nanos, thrown);
        }
        leaveRegistry();
    }

    /** @return the report of a rollback that ended with {@code thrown}: the failure, or this saga's incomplete rollback */
    RollbackReport rolledBack(Throwable thrown) {
        if (owns(thrown)) {
            CompensationFailedException incomplete = (CompensationFailedException) thrown;
            return report(incomplete.getCause(), incomplete.pending());
        }
        return report(thrown, List.of());
    }

    /** Reports a rollback whose report was made already ({@link #rolledBack}). */
    void sagaRolledBack(long start, RollbackReport report) {
        listeners().sagaRolledBack(this, since(start), report);
    }

    private synchronized RollbackReport report(Throwable original, List<String> pending) {
        Bookkeeping bookkeeping = books();
        // The failed step is named only when its failure is what ended the saga: a handled step failure does not count.
        String failedStep = bookkeeping.lastStepFailure == original ? bookkeeping.lastFailedStep : null;
        return new RollbackReport(failedStep, original, orEmpty(bookkeeping.compensated), orEmpty(bookkeeping.failedCompensations),
                pending, orEmpty(bookkeeping.undoneByTransaction));
    }

    private static List<String> orEmpty(List<String> names) {
        return names == null ? List.of() : names;
    }

}
