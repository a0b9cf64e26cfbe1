package dev.reversible.spring.transaction;

import java.lang.reflect.Method;

import dev.reversible.spring.aop.StepTransactions;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.transaction.NoTransactionException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.AnnotationTransactionAttributeSource;
import org.springframework.transaction.interceptor.TransactionAspectSupport;
import org.springframework.transaction.interceptor.TransactionAttribute;
import org.springframework.transaction.interceptor.TransactionAttributeSource;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@link StepTransactions} on Spring's transaction infrastructure. A step joins the running transaction
 * when its method's own {@code @Transactional} propagates into it ({@code REQUIRED}, {@code SUPPORTS},
 * {@code MANDATORY}, {@code NESTED}); its fate is then tracked with a {@link TransactionSynchronization}.
 * Handlers run under {@code PROPAGATION_NOT_SUPPORTED} when a transaction is active, so a
 * {@code @Transactional} handler gets a transaction of its own and a plain one gets none.
 *
 * <pre>{@code
 * new SpringStepTransactions(context.getBeanProvider(PlatformTransactionManager.class));
 * }</pre>
 */
public final class SpringStepTransactions implements StepTransactions {

    private static final Log LOG = LogFactory.getLog(SpringStepTransactions.class);

    private final TransactionAttributeSource attributes = new AnnotationTransactionAttributeSource();
    private final ObjectProvider<PlatformTransactionManager> transactionManagers;

    /** @param transactionManagers the application's transaction manager, used to suspend a transaction around a handler */
    public SpringStepTransactions(ObjectProvider<PlatformTransactionManager> transactionManagers) {
        this.transactionManagers = transactionManagers;
    }

    @Override
    public boolean mayJoin(Method method, Class<?> targetClass) {
        TransactionAttribute attribute = attributes.getTransactionAttribute(method, targetClass);
        if (attribute == null) {
            return false;
        }
        int propagation = attribute.getPropagationBehavior();
        return propagation == TransactionDefinition.PROPAGATION_REQUIRED || propagation == TransactionDefinition.PROPAGATION_SUPPORTS
                || propagation == TransactionDefinition.PROPAGATION_MANDATORY || propagation == TransactionDefinition.PROPAGATION_NESTED;
    }

    @Override
    public boolean suspends(Method method, Class<?> targetClass) {
        TransactionAttribute attribute = attributes.getTransactionAttribute(method, targetClass);
        return attribute != null && (attribute.getPropagationBehavior() == TransactionDefinition.PROPAGATION_REQUIRES_NEW
                || attribute.getPropagationBehavior() == TransactionDefinition.PROPAGATION_NOT_SUPPORTED);
    }

    @Override
    public boolean rollsBackOn(Method method, Class<?> targetClass, Throwable failure) {
        TransactionAttribute attribute = attributes.getTransactionAttribute(method, targetClass);
        return attribute != null && attribute.rollbackOn(failure);
    }

    @Override
    public Joined join() {
        if (!TransactionSynchronizationManager.isActualTransactionActive() || !TransactionSynchronizationManager.isSynchronizationActive()) {
            return null;
        }
        JoinedTransaction joined = new JoinedTransaction();
        TransactionSynchronizationManager.registerSynchronization(joined);
        return joined;
    }

    @Override
    public Object runOutsideTransaction(Compensation compensation) throws Exception {
        PlatformTransactionManager transactionManager;
        if (!TransactionSynchronizationManager.isActualTransactionActive()
                || (transactionManager = transactionManagers.getIfUnique()) == null) {
            return compensation.run();
        }
        TransactionTemplate outside = new TransactionTemplate(transactionManager);
        outside.setPropagationBehavior(TransactionDefinition.PROPAGATION_NOT_SUPPORTED);
        Exception[] failure = new Exception[1];
        Object returned = outside.execute(status -> {
            try {
                return compensation.run();
            } catch (Exception e) {
                failure[0] = e;
                return null;
            }
        });
        if (failure[0] != null) {
            throw failure[0];
        }
        return returned;
    }

    /** The transaction a step joined, as its synchronization sees it complete. */
    static final class JoinedTransaction implements TransactionSynchronization, Joined {

        private volatile int status = -1;   // -1: open, else TransactionSynchronization.STATUS_*
        private volatile Runnable deferred;

        @Override
        public boolean undone() {
            int current = status;
            return current == STATUS_ROLLED_BACK || (current == -1 && rollbackOnly());
        }

        @Override
        public boolean open() {
            return status == -1;
        }

        @Override
        public void compensateOnCommit(Runnable compensation) {
            deferred = compensation;
        }

        @Override
        public void afterCompletion(int completion) {
            status = completion;
            Runnable compensation = deferred;
            deferred = null;
            if (completion == STATUS_COMMITTED && compensation != null) {
                try {
                    compensation.run();
                } catch (RuntimeException e) {
                    LOG.error("Deferred compensation failed after its transaction committed", e);
                }
            }
        }

        private static boolean rollbackOnly() {
            try {
                return TransactionAspectSupport.currentTransactionStatus().isRollbackOnly();
            } catch (NoTransactionException e) {
                return false;
            }
        }
    }
}
