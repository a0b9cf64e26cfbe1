package dev.reversible.benchmarks.spring;

import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;

/**
 * A transaction manager with no resource behind it: what {@code @Transactional} costs in Spring's own
 * machinery (attribute lookup, status, synchronization), without a database. Counts begins so that the
 * benchmark can check the transactions really happen.
 */
public class NoOpTransactionManager extends AbstractPlatformTransactionManager {

    private static final long serialVersionUID = 1L;

    private long begun;

    @Override
    protected Object doGetTransaction() {
        return new Object();
    }

    @Override
    protected void doBegin(Object transaction, TransactionDefinition definition) {
        begun++;
    }

    @Override
    protected void doCommit(DefaultTransactionStatus status) {
    }

    @Override
    protected void doRollback(DefaultTransactionStatus status) {
    }

    /** @return how many transactions began */
    public long begun() {
        return begun;
    }
}
