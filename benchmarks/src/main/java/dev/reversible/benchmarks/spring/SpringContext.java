package dev.reversible.benchmarks.spring;

import java.util.Arrays;

import dev.reversible.spring.aop.ReversibleAdvisor;
import dev.reversible.spring.context.SagaContextAccessor;
import dev.reversible.spring.statistics.ActionCounts;
import dev.reversible.spring.statistics.SagaCounts;
import dev.reversible.spring.statistics.SagaStatistics;

import io.micrometer.context.ContextRegistry;

import org.aopalliance.aop.Advice;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.springframework.aop.aspectj.AspectJAroundAdvice;
import org.springframework.aop.framework.Advised;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.transaction.interceptor.TransactionInterceptor;

/**
 * One started {@link BenchmarkApplication} per fork, shared by the benchmarks of a class. Before any
 * measurement it checks that each variant really is advised the way it claims — a benchmark of an
 * unadvised bean would report a flattering ratio — and runs each once, checking the advice's effect.
 */
@State(Scope.Benchmark)
public class SpringContext {

    private AnnotationConfigApplicationContext context;

    /** The saga whose steps are {@code @ReversibleAction}s. */
    public Orders.Reversible reversible;

    /** The same calls behind no-op aspects. */
    public Orders.NoOpAspects noOpAspects;

    /** The same calls behind no-op interceptors. */
    public Orders.NoOpInterceptors noOpInterceptors;

    /** The saga whose steps are asynchronous {@code @ReversibleAction}s. */
    public Orders.ReversibleAsync reversibleAsync;

    /** The same asynchronous calls behind no-op aspects. */
    public Orders.NoOpAspectsAsync noOpAspectsAsync;

    /** The same calls, each step {@code @Transactional}. */
    public Orders.Transactional transactional;

    /** Context captures and restores, in a saga and outside any. */
    public ContextHops contextHops;

    @Setup(Level.Trial)
    public void start() throws Exception {
        context = BenchmarkApplication.start();
        reversible = context.getBean(Orders.Reversible.class);
        noOpAspects = context.getBean(Orders.NoOpAspects.class);
        noOpInterceptors = context.getBean(Orders.NoOpInterceptors.class);
        reversibleAsync = context.getBean(Orders.ReversibleAsync.class);
        noOpAspectsAsync = context.getBean(Orders.NoOpAspectsAsync.class);
        transactional = context.getBean(Orders.Transactional.class);
        contextHops = context.getBean(ContextHops.class);

        requireOnlyAdvice(reversible, ReversibleAdvisor.class);
        requireOnlyAdvice(context.getBean(Inventory.class), ReversibleAdvisor.class);
        requireOnlyAdvice(noOpAspects, AspectJAroundAdvice.class);
        requireOnlyAdvice(context.getBean(AspectInventory.class), AspectJAroundAdvice.class);
        requireOnlyAdvice(noOpInterceptors, NoOpInterceptor.class);
        requireOnlyAdvice(context.getBean(InterceptedInventory.class), NoOpInterceptor.class);
        requireOnlyAdvice(reversibleAsync, ReversibleAdvisor.class);
        requireOnlyAdvice(context.getBean(AsyncInventory.class), ReversibleAdvisor.class);
        requireOnlyAdvice(noOpAspectsAsync, AspectJAroundAdvice.class);
        requireOnlyAdvice(context.getBean(AspectAsyncInventory.class), AspectJAroundAdvice.class);
        requireOnlyAdvice(transactional, AspectJAroundAdvice.class);
        requireOnlyAdvice(context.getBean(TransactionalInventory.class), TransactionInterceptor.class);

        SagaStatistics statistics = context.getBean(SagaStatistics.class);
        require(reversible.placeOrder(3) == 3, "the saga's result");
        ActionCounts reserve = statistics.actions().get("reserve");
        require(statistics.totals().completed() == 1 && reserve != null && reserve.completed() == 3,
                "one saga of three completed steps in the statistics");
        require(noOpAspects.placeOrder(3) == 3, "the no-op aspects' result");
        require(noOpInterceptors.placeOrder(3) == 3, "the no-op interceptors' result");

        require(reversibleAsync.placeOrder(3) == 3, "the asynchronous saga's result");
        ActionCounts reserveAsync = statistics.actions().get("reserveAsync");
        require(statistics.totals().completed() == 2 && reserveAsync != null && reserveAsync.completed() == 3,
                "a second saga completed, of three completed asynchronous steps, in the statistics");
        IllegalStateException cancelled = null;
        try {
            reversibleAsync.placeOrderThenCancel(3);
        } catch (IllegalStateException e) {
            cancelled = e;
        }
        require(cancelled != null && Orders.ReversibleAsync.CANCELLED.equals(cancelled.getMessage()),
                "the cancelled saga's own exception, got " + cancelled);
        reserveAsync = statistics.actions().get("reserveAsync");
        require(statistics.totals().compensated() == 1 && reserveAsync.completed() == 6 && reserveAsync.compensated() == 3,
                "the cancelled saga rolled back, its three asynchronous steps compensated, in the statistics");
        require(noOpAspectsAsync.placeOrder(3) == 3, "the asynchronous no-op aspects' result");

        require(ContextRegistry.getInstance().getThreadLocalAccessors().stream().anyMatch(SagaContextAccessor.class::isInstance),
                "the starter's SagaContextAccessor registered with context-propagation");
        require(contextHops.carriesTheSagaScope(), "a snapshot taken in a saga to carry its scope to another thread and restore it");
        require(contextHops.inSaga() == ContextHops.HOPS && contextHops.withoutSaga() == ContextHops.HOPS,
                "every wrapped task run, in a saga and without one");
        SagaCounts hops = statistics.findSaga("contextHops");
        require(hops != null && hops.completed() == 1, "the hops' saga completed");
        NoOpTransactionManager transactions = context.getBean(NoOpTransactionManager.class);
        require(transactional.placeOrder(3) == 3 && transactions.begun() == 3, "three transactions begun");
    }

    @TearDown(Level.Trial)
    public void close() {
        context.close();
    }

    /**
     * Requires {@code bean} to be a proxy whose advice, apart from Spring's {@code ExposeInvocationInterceptor}
     * for AspectJ, is exactly one of {@code kind} (an advisor or an advice class).
     */
    private static void requireOnlyAdvice(Object bean, Class<?> kind) {
        require(bean instanceof Advised, bean.getClass().getName() + " is a proxy");
        long matching = Arrays.stream(((Advised) bean).getAdvisors())
                .filter(advisor -> !advisor.getAdvice().getClass().getName().endsWith("ExposeInvocationInterceptor"))
                .peek(advisor -> {
                    Advice advice = advisor.getAdvice();
                    require(kind.isInstance(advisor) || kind.isInstance(advice),
                            bean.getClass().getName() + " has only " + kind.getSimpleName() + ", but also " + advice);
                })
                .count();
        require(matching == 1, bean.getClass().getName() + " has exactly one " + kind.getSimpleName() + ", has " + matching);
    }

    private static void require(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException("Benchmark set-up is wrong: expected " + what);
        }
    }
}
