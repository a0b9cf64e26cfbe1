package dev.reversible.spring.aop;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import dev.reversible.core.SagaExecutor;
import dev.reversible.spring.metadata.ActionSpec;
import dev.reversible.spring.metadata.OperationSpec;
import dev.reversible.spring.metadata.ReversibleOperationSource;
import dev.reversible.spring.metadata.ReturnTypes;
import dev.reversible.spring.metadata.SagaSpec;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;

/**
 * The aspect's advice, kept thin: looks up the cached operation for the called method — two hash
 * lookups, no reflection, no allocation — and lets it translate the call into a core action.
 *
 * <pre>{@code
 * ProxyFactory factory = new ProxyFactory(new Inventory());
 * factory.addAdvice(new ReversibleInterceptor(source, () -> executor, OutsideSagaPolicy.EXECUTE));
 * }</pre>
 */
public final class ReversibleInterceptor implements MethodInterceptor {

    private final ReversibleOperationSource source;
    private final Supplier<SagaExecutor> executor;
    private final OutsideSagaPolicy outsideSaga;
    private final StepTransactions transactions;
    private final Map<Class<?>, Map<Method, Operation>> operations = new ConcurrentHashMap<>();

    /**
     * @param source the parsed annotation metadata
     * @param executor supplies the executor on first use (it may depend on beans created after this interceptor)
     * @param outsideSaga what an action does when called outside any saga
     */
    public ReversibleInterceptor(ReversibleOperationSource source, Supplier<SagaExecutor> executor, OutsideSagaPolicy outsideSaga) {
        this(source, executor, outsideSaga, StepTransactions.NONE);
    }

    /**
     * @param source the parsed annotation metadata
     * @param executor supplies the executor on first use (it may depend on beans created after this interceptor)
     * @param outsideSaga what an action does when called outside any saga
     * @param transactions how steps relate to the transactions around them
     */
    public ReversibleInterceptor(ReversibleOperationSource source, Supplier<SagaExecutor> executor, OutsideSagaPolicy outsideSaga,
            StepTransactions transactions) {
        this.source = source;
        this.executor = executor;
        this.outsideSaga = outsideSaga;
        this.transactions = transactions;
    }

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        Object target = invocation.getThis();
        Operation operation = target == null ? NoOperation.INSTANCE : operation(invocation.getMethod(), target.getClass());
        return operation.invoke(invocation);
    }

    /**
     * The same advice, placed inside the action's own transaction advice ({@link InTransactionStepInterceptor}):
     * the step's record may be written in its transaction.
     */
    Object invokeInsideTransaction(MethodInvocation invocation) throws Throwable {
        Object target = invocation.getThis();
        Operation operation = target == null ? NoOperation.INSTANCE : operation(invocation.getMethod(), target.getClass());
        return operation instanceof StepOperation step ? step.invoke(invocation, true) : operation.invoke(invocation);
    }

    private Operation operation(Method method, Class<?> targetClass) {
        Map<Method, Operation> byMethod = operations.get(targetClass);
        if (byMethod == null) {
            byMethod = operations.computeIfAbsent(targetClass, type -> new ConcurrentHashMap<>());
        }
        Operation operation = byMethod.get(method);
        if (operation == null) {
            operation = byMethod.computeIfAbsent(method, m -> build(source.find(m, targetClass), m, targetClass));
        }
        return operation;
    }

    private Operation build(OperationSpec spec, Method method, Class<?> targetClass) {
        if (spec instanceof SagaSpec saga) {
            return new SagaOperation(saga, executor, ReturnTypes.isAsynchronous(method));
        }
        if (spec instanceof ActionSpec action) {
            return new StepOperation(action, source, executor, outsideSaga, transactions, transactions.mayJoin(method, targetClass),
                    transactions.suspends(method, targetClass), ReturnTypes.isAsynchronous(method));
        }
        return NoOperation.INSTANCE;
    }
}
