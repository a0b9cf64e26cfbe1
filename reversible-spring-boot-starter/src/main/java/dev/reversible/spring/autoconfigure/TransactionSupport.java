package dev.reversible.spring.autoconfigure;

import dev.reversible.spring.aop.StepTransactions;
import dev.reversible.spring.transaction.SpringStepTransactions;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.interceptor.TransactionInterceptor;

/**
 * The one place the auto-configuration names {@code spring-tx} types, loaded only when they are on the
 * class path, so the starter works in an application without transactions.
 */
final class TransactionSupport {

    private TransactionSupport() {
    }

    /** @return transaction-aware steps, the transaction manager looked up only when a handler needs it */
    static StepTransactions stepTransactions(ListableBeanFactory beanFactory) {
        return new SpringStepTransactions(beanFactory.getBeanProvider(PlatformTransactionManager.class));
    }

    /** @return whether the advice is {@code @Transactional}'s (a {@code TransactionInterceptor}) */
    static boolean isTransactionAdvice(Object advice) {
        return advice instanceof TransactionInterceptor;
    }
}
