package dev.reversible.spring.jdbc;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import dev.reversible.jdbc.JdbcJournal;
import dev.reversible.spring.aop.StepTransactions.Compensation;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.BeanFactoryAnnotationUtils;
import org.springframework.core.MethodClassKey;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.AnnotationTransactionAttributeSource;
import org.springframework.transaction.interceptor.TransactionAttribute;
import org.springframework.transaction.interceptor.TransactionAttributeSource;
import org.springframework.transaction.support.DefaultTransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * Exactly-once compensations on the journal's own database. A {@code @Compensate} handler that is
 * {@code @Transactional} ({@code REQUIRED} or {@code NESTED}, not read-only, returning no
 * {@code CompletionStage}) and called through its proxy is run inside a transaction that the journal begins
 * itself, on the transaction manager the handler's {@code @Transactional} names, with the handler's own
 * isolation and timeout: the handler's transactional advice joins it. When the handler returns and that
 * transaction holds a connection of the journal's {@code DataSource}, the step's "compensated" mark is written
 * in it ({@code JournaledSaga.compensatedInCurrentTransaction}) — so the handler's writes and the mark commit
 * together, or roll back together: a crash after the commit never runs the handler again, a rollback leaves
 * the step un-compensated (retried), and a former owner whose epoch is fenced rolls its handler's work back.
 *
 * <p>Why the journal begins the transaction rather than hook into the handler's: the handler's transaction
 * begins and commits inside its proxy, where no code of the journal's runs; beginning it one level out is the
 * one place the journal can write before the commit, whatever the order of the proxy's advisors.
 *
 * <p>A handler's failure rolls the transaction back when the handler's own rollback rules say so (by default
 * an unchecked exception or an error); a checked exception its rules commit on commits the handler's work
 * without the mark, as it would have without a journal. Every other handler — not transactional,
 * {@code REQUIRES_NEW}, on a transaction manager of another database, returning a stage, private or final (run
 * without its proxy) — runs as it is, and its mark is written after it in the journal's own transaction:
 * at-least-once.
 *
 * <pre>{@code
 * @Compensate("charge")
 * @Transactional                       // on the journal's DataSource: refund and mark commit together
 * public void refund(String account, long cents, CompensationContext context) { ... }
 * }</pre>
 */
public final class CompensationTransactions {

    private final JdbcJournal journal;
    private final BeanFactory beanFactory;
    private final ObjectProvider<PlatformTransactionManager> transactionManagers;
    private final TransactionAttributeSource attributes = new AnnotationTransactionAttributeSource(false);
    private final Map<MethodClassKey, Optional<Transaction>> transactions = new ConcurrentHashMap<>();

    /**
     * @param journal the journal, whose {@code DataSource} the handler's transaction must hold for the mark to go in it
     * @param beanFactory finds a transaction manager named by a handler's {@code @Transactional("...")}
     * @param transactionManagers the application's transaction manager, for a handler that names none
     */
    public CompensationTransactions(JdbcJournal journal, BeanFactory beanFactory, ObjectProvider<PlatformTransactionManager> transactionManagers) {
        this.journal = journal;
        this.beanFactory = beanFactory;
        this.transactionManagers = transactionManagers;
    }

    /**
     * Decided once per handler method and bean class.
     * @param handler the handler method
     * @param receiver what it is called on: its bean's proxy, or the bean itself (then no advice applies)
     * @return the transaction to run it in with its mark, or {@code null} when it is at-least-once
     */
    public Transaction transactionFor(Method handler, Object receiver) {
        if (!AopUtils.isAopProxy(receiver) || CompletionStage.class.isAssignableFrom(handler.getReturnType())) {
            return null;
        }
        Class<?> targetClass = AopUtils.getTargetClass(receiver);
        return transactions.computeIfAbsent(new MethodClassKey(handler, targetClass), key -> Optional.ofNullable(resolve(handler, targetClass)))
                .orElse(null);
    }

    private Transaction resolve(Method handler, Class<?> targetClass) {
        TransactionAttribute attribute = attributes.getTransactionAttribute(handler, targetClass);
        if (attribute == null || attribute.isReadOnly() || (attribute.getPropagationBehavior() != TransactionDefinition.PROPAGATION_REQUIRED
                && attribute.getPropagationBehavior() != TransactionDefinition.PROPAGATION_NESTED)) {
            return null;
        }
        PlatformTransactionManager transactionManager;
        try {
            transactionManager = StringUtils.hasText(attribute.getQualifier())
                    ? BeanFactoryAnnotationUtils.qualifiedBeanOfType(beanFactory, PlatformTransactionManager.class, attribute.getQualifier())
                    : transactionManagers.getIfUnique();
        } catch (RuntimeException e) {
            return null;
        }
        if (transactionManager == null) {
            return null;
        }
        DefaultTransactionDefinition definition = new DefaultTransactionDefinition(attribute);
        // A new transaction even where one is still bound (a deferred compensation runs as its joined transaction completes).
        definition.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        definition.setName(ClassUtils.getQualifiedMethodName(handler, targetClass) + " (compensation)");
        return new Transaction(new TransactionTemplate(transactionManager, definition), attribute);
    }

    /** The transaction one handler runs in, with its mark. */
    public final class Transaction {

        private final TransactionTemplate template;
        private final TransactionAttribute attribute;

        Transaction(TransactionTemplate template, TransactionAttribute attribute) {
            this.template = template;
            this.attribute = attribute;
        }

        /**
         * Runs the handler in this transaction, then — when the transaction holds a connection of the journal's
         * {@code DataSource} and can still commit — the mark, before the commit.
         * @param handler the handler call (through its proxy, so its own {@code @Transactional} joins this transaction)
         * @param mark writes the step's compensated mark in the current transaction; a failure there rolls the handler back
         * @return what the handler returned, and whether the mark was written with it
         * @throws Exception the handler's failure, or the commit's
         */
        public Called call(Compensation handler, Runnable mark) throws Exception {
            Exception[] failure = new Exception[1];
            boolean[] marked = new boolean[1];
            Object returned = template.execute(status -> {
                Object value;
                try {
                    value = handler.run();
                } catch (Exception e) {
                    failure[0] = e;
                    if (attribute.rollbackOn(e)) {
                        status.setRollbackOnly();
                    }
                    return null;
                }
                if (journal.hasCallerTransaction() && !status.isRollbackOnly()) {
                    mark.run();
                    marked[0] = true;
                }
                return value;
            });
            if (failure[0] != null) {
                throw failure[0];
            }
            return new Called(returned, marked[0]);
        }
    }

    /**
     * @param returned what the handler returned
     * @param marked whether the step's compensated mark was committed with the handler's work
     */
    public record Called(Object returned, boolean marked) {
    }
}
