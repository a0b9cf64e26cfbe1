package dev.reversible.benchmarks.spring;

import java.util.concurrent.atomic.AtomicReference;

import dev.reversible.core.CompositeAction;
import dev.reversible.core.Reversible;
import dev.reversible.core.SagaContext;
import dev.reversible.core.SagaExecutor;
import dev.reversible.core.SagaScope;

import io.micrometer.context.ContextSnapshotFactory;

/**
 * What a context-propagating executor does to every task, without the executor: capture the thread's
 * context ({@code captureAll}), wrap the task, and run it with that context restored — here on the same
 * thread, so that only the capture and the restore are priced, not a thread hop. {@link #inSaga()} does it
 * {@link #HOPS} times inside one running saga of the starter's executor, whose scope is then captured and
 * restored through the starter's {@code SagaContextAccessor}; {@link #withoutSaga()} does the same with no
 * saga running, the plain decorated task.
 *
 * <p>The factory is built once, as Spring's {@code ContextPropagatingTaskDecorator} builds it once.
 */
public class ContextHops {

    /** Hops per call, so that the saga around them is amortised to a hundredth. */
    public static final int HOPS = 100;

    private final ContextSnapshotFactory snapshots = ContextSnapshotFactory.builder().build();
    private final SagaExecutor sagas;
    private final CompositeAction<Integer> hopsInSaga;
    private final Runnable task = this::count;
    private int counted;

    /** @param sagas the starter's executor */
    public ContextHops(SagaExecutor sagas) {
        this.sagas = sagas;
        this.hopsInSaga = Reversible.gen(saga -> hop()).named("contextHops");
    }

    /**
     * @return how many times the task ran: {@link #HOPS}
     * @throws Exception never: the saga has no step to fail
     */
    public int inSaga() throws Exception {
        return sagas.execute(hopsInSaga);
    }

    /** @return how many times the task ran: {@link #HOPS} */
    public int withoutSaga() {
        return hop();
    }

    private int hop() {
        int before = counted;
        for (int i = 0; i < HOPS; i++) {
            snapshots.captureAll().wrap(task).run();
        }
        return counted - before;
    }

    private void count() {
        counted++;
    }

    /**
     * For the set-up: whether a task wrapped in a running saga sees that saga's scope on another thread,
     * and the saga's thread still has it after running a wrapped task itself.
     * @return whether the saga's scope is carried and restored
     * @throws Exception if the other thread is interrupted
     */
    public boolean carriesTheSagaScope() throws Exception {
        AtomicReference<SagaScope> seen = new AtomicReference<>();
        return sagas.execute(Reversible.gen(saga -> {
            SagaScope running = SagaContext.current();
            Thread other = new Thread(snapshots.captureAll().wrap(() -> seen.set(SagaContext.current())));
            other.start();
            other.join();
            snapshots.captureAll().wrap(task).run();
            return running != null && seen.get() == running && SagaContext.current() == running;
        }).named("contextHopCheck"));
    }
}
