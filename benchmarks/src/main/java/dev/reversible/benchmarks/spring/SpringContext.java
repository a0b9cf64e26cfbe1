package dev.reversible.benchmarks.spring;

import java.util.Arrays;

import dev.reversible.spring.aop.ReversibleAdvisor;
import dev.reversible.spring.statistics.ActionCounts;
import dev.reversible.spring.statistics.SagaStatistics;

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

    /** The same calls, each step {@code @Transactional}. */
    public Orders.Transactional transactional;

    @Setup(Level.Trial)
    public void start() {
        context = BenchmarkApplication.start();
        reversible = context.getBean(Orders.Reversible.class);
        noOpAspects = context.getBean(Orders.NoOpAspects.class);
        transactional = context.getBean(Orders.Transactional.class);

        requireOnlyAdvice(reversible, ReversibleAdvisor.class);
        requireOnlyAdvice(context.getBean(Inventory.class), ReversibleAdvisor.class);
        requireOnlyAdvice(noOpAspects, AspectJAroundAdvice.class);
        requireOnlyAdvice(context.getBean(AspectInventory.class), AspectJAroundAdvice.class);
        requireOnlyAdvice(transactional, AspectJAroundAdvice.class);
        requireOnlyAdvice(context.getBean(TransactionalInventory.class), TransactionInterceptor.class);

        SagaStatistics statistics = context.getBean(SagaStatistics.class);
        require(reversible.placeOrder(3) == 3, "the saga's result");
        ActionCounts reserve = statistics.actions().get("reserve");
        require(statistics.totals().completed() == 1 && reserve != null && reserve.completed() == 3,
                "one saga of three completed steps in the statistics");
        require(noOpAspects.placeOrder(3) == 3, "the no-op aspects' result");
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
