package dev.reversible.spring.statistics;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;

import dev.reversible.core.RollbackReport;
import dev.reversible.core.SagaInfo;
import dev.reversible.core.SagaListener;
import dev.reversible.core.StepInfo;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Counts what the core executor reports — per saga name, per action name, in total — and keeps the most
 * recent rollbacks. The single source for both the Micrometer meters and the actuator endpoint.
 *
 * <pre>{@code
 * SagaStatistics statistics = new SagaStatistics(50, Clock.systemUTC());
 * SagaExecutor executor = Reversible.executor().listener(statistics).build();
 * ...
 * statistics.totals().compensated();
 * }</pre>
 */
public final class SagaStatistics implements SagaListener {

    private static final Log LOG = LogFactory.getLog(SagaStatistics.class);

    private final int historySize;
    private final Clock clock;
    private final SagaCounts totals = new SagaCounts(null);
    private final Map<String, SagaCounts> sagas = new ConcurrentHashMap<>();
    private final Map<String, ActionCounts> actions = new ConcurrentHashMap<>();
    private final ArrayDeque<RollbackRecord> recentRollbacks = new ArrayDeque<>();
    private final List<Consumer<SagaCounts>> sagaSubscribers = new CopyOnWriteArrayList<>();
    private final List<Consumer<ActionCounts>> actionSubscribers = new CopyOnWriteArrayList<>();

    /**
     * @param historySize how many recent rollbacks to keep (0 keeps none)
     * @param clock stamps the rollbacks
     */
    public SagaStatistics(int historySize, Clock clock) {
        if (historySize < 0) {
            throw new IllegalArgumentException("historySize must not be negative, was " + historySize);
        }
        this.historySize = historySize;
        this.clock = clock;
    }

    // ---- reading ------------------------------------------------------------------------------

    /** @return the counts over every saga */
    public SagaCounts totals() {
        return totals;
    }

    /** @return the counts of one saga name, or {@code null} when it was never seen */
    public SagaCounts findSaga(String name) {
        return sagas.get(name);
    }

    /** @return every saga's counts, by name, sorted */
    public Map<String, SagaCounts> sagas() {
        return Collections.unmodifiableMap(new TreeMap<>(sagas));
    }

    /** @return every action's counts, by name, sorted */
    public Map<String, ActionCounts> actions() {
        return Collections.unmodifiableMap(new TreeMap<>(actions));
    }

    /** @return the most recent rollbacks, newest first */
    public List<RollbackRecord> recentRollbacks() {
        synchronized (recentRollbacks) {
            return List.copyOf(recentRollbacks);
        }
    }

    /**
     * Calls {@code subscriber} for every saga name already known and for each new one — how meters are
     * registered as names appear.
     * @param subscriber called once per saga name
     */
    public void subscribeSagas(Consumer<SagaCounts> subscriber) {
        sagaSubscribers.add(subscriber);
        new ArrayList<>(sagas.values()).forEach(counts -> notify(subscriber, counts));
    }

    /**
     * Calls {@code subscriber} for every action name already known and for each new one.
     * @param subscriber called once per action name
     */
    public void subscribeActions(Consumer<ActionCounts> subscriber) {
        actionSubscribers.add(subscriber);
        new ArrayList<>(actions.values()).forEach(counts -> notify(subscriber, counts));
    }

    /** Makes a saga name known before its first run, so that it shows with zero counts. */
    public SagaCounts saga(String name) {
        return getOrCreate(sagas, name, SagaCounts::new, sagaSubscribers);
    }

    /** Makes an action name known before its first run, so that it shows with zero counts. */
    public ActionCounts action(String name) {
        return getOrCreate(actions, name, ActionCounts::new, actionSubscribers);
    }

    /** A plain get first: the hot path finds the name and allocates nothing. */
    private static <C> C getOrCreate(Map<String, C> all, String name, Function<String, C> create, List<Consumer<C>> subscribers) {
        C counts = all.get(name);
        if (counts == null) {
            C created = create.apply(name);
            counts = all.putIfAbsent(name, created);
            if (counts == null) {
                counts = created;
                subscribers.forEach(subscriber -> notify(subscriber, created));
            }
        }
        return counts;
    }

    /** A subscriber (a meter registration) that fails must not stop the others, nor the counting. */
    private static <C> void notify(Consumer<C> subscriber, C counts) {
        try {
            subscriber.accept(counts);
        } catch (RuntimeException e) {
            LOG.warn("Could not register meters for " + counts + "; counting carries on", e);
        }
    }

    // ---- listening ----------------------------------------------------------------------------

    @Override
    public void sagaStarted(SagaInfo saga) {
        saga(saga.name()).recordStart();
        totals.recordStart();
    }

    @Override
    public void sagaCompleted(SagaInfo saga, long nanos) {
        saga(saga.name()).completedOutcome().record(nanos);
        totals.completedOutcome().record(nanos);
    }

    @Override
    public void sagaRolledBack(SagaInfo saga, long nanos, RollbackReport report) {
        SagaCounts counts = saga(saga.name());
        if (report.isComplete()) {
            counts.compensatedOutcome().record(nanos);
            totals.compensatedOutcome().record(nanos);
        } else {
            counts.compensationFailedOutcome().record(nanos);
            totals.compensationFailedOutcome().record(nanos);
        }
        remember(saga, report);
    }

    @Override
    public void sagaFailed(SagaInfo saga, long nanos, Throwable failure) {
        saga(saga.name()).failedOutcome().record(nanos);
        totals.failedOutcome().record(nanos);
    }

    // The executor calls the StepInfo forms: overriding them ends each event here, rather than in a chain of
    // SagaListener's default methods down to the name form (a step sends three or four events to each listener).

    @Override
    public void stepStarted(SagaInfo saga, StepInfo step) {
    }

    @Override
    public void stepPending(SagaInfo saga, StepInfo step) {
    }

    @Override
    public void stepCompleted(SagaInfo saga, StepInfo step, long nanos) {
        stepCompleted(saga, step.name(), nanos);
    }

    @Override
    public void stepFailed(SagaInfo saga, StepInfo step, long nanos, Throwable failure) {
        stepFailed(saga, step.name(), nanos, failure);
    }

    @Override
    public void stepCompleted(SagaInfo saga, String step, long nanos) {
        action(step).completedOutcome().increment();
    }

    @Override
    public void stepFailed(SagaInfo saga, String step, long nanos, Throwable failure) {
        action(step).failedOutcome().increment();
    }

    /**
     * Steps are counted, not timed (their time is the {@code reversible.step} timer's): the executor then reads
     * no clock around a step for these counts.
     */
    @Override
    public boolean ignoresStepDurations() {
        return true;
    }

    @Override
    public void compensationSucceeded(SagaInfo saga, String step, int attempts, long nanos) {
        action(step).compensatedOutcome().record(nanos);
    }

    @Override
    public void compensationFailed(SagaInfo saga, String step, int attempts, long nanos, Throwable failure) {
        action(step).compensationFailedOutcome().record(nanos);
    }

    @Override
    public void stepUndoneByTransaction(SagaInfo saga, String step) {
        action(step).undoneByTransactionOutcome().increment();
    }

    private void remember(SagaInfo saga, RollbackReport report) {
        if (historySize == 0) {
            return;
        }
        RollbackRecord record = RollbackRecord.of(saga, report, clock.instant());
        synchronized (recentRollbacks) {
            recentRollbacks.addFirst(record);
            while (recentRollbacks.size() > historySize) {
                recentRollbacks.removeLast();
            }
        }
    }
}
