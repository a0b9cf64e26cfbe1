package dev.reversible.spring.aop;

import java.lang.reflect.Method;

/**
 * How steps relate to the database transactions around them — kept behind this interface so the aspect
 * works without {@code spring-tx} on the class path.
 *
 * <p>A step whose work joined a transaction it did not start shares that transaction's fate: rolled back,
 * the database has already undone the step and its compensation must not run again; committed, the step
 * stands like any other. Compensation handlers run with no transaction of the saga's or the caller's in
 * effect, so they never run inside a transaction that is about to roll back.
 *
 * <pre>{@code
 * StepTransactions transactions = new SpringStepTransactions(transactionManagers);
 * }</pre>
 */
public interface StepTransactions {

    /** No transaction support: every step is compensated as usual, handlers run as they are. */
    StepTransactions NONE = new StepTransactions() {
        @Override
        public boolean mayJoin(Method method, Class<?> targetClass) {
            return false;
        }

        @Override
        public Joined join() {
            return null;
        }

        @Override
        public Object runOutsideTransaction(Compensation compensation) throws Exception {
            return compensation.run();
        }

        @Override
        public boolean rollsBackOn(Method method, Class<?> targetClass, Throwable failure) {
            return false;
        }

        @Override
        public boolean suspends(Method method, Class<?> targetClass) {
            return false;
        }
    };

    /**
     * Decided once per action method, at its first call: whether the method's work would join a
     * transaction already running when it is called (its own transaction attribute propagates into it).
     * A method without a transaction attribute, or one that suspends or starts its own, never joins.
     * @param method the action method
     * @param targetClass the bean's class
     * @return whether it joins a running transaction
     */
    boolean mayJoin(Method method, Class<?> targetClass);

    /**
     * Decided once per action method, at its first call: whether the method's own transaction attribute suspends a
     * transaction running when it is called ({@code REQUIRES_NEW}, {@code NOT_SUPPORTED}): its work then is not
     * part of that transaction.
     * @param method the action method
     * @param targetClass the bean's class
     * @return whether it suspends a running transaction
     */
    boolean suspends(Method method, Class<?> targetClass);

    /**
     * Called when a step that {@link #mayJoin may join} starts.
     * @return the running transaction it joins, tracked until it completes, or {@code null} when none runs
     */
    Joined join();

    /**
     * Whether the method's own transaction advice, seeing this failure leave the method, rolls its transaction
     * back (or marks the one it joined rollback-only) — for a step that failed inside that advice, before the
     * advice has decided.
     * @param method the action method
     * @param targetClass the bean's class
     * @param failure what the method threw
     * @return whether its transaction attribute rolls back on it
     */
    boolean rollsBackOn(Method method, Class<?> targetClass, Throwable failure);

    /**
     * Runs a compensation with no transaction in effect: an open one is suspended around it.
     * @param compensation the handler call
     * @return what the handler returned
     * @throws Exception the handler's own failure
     */
    Object runOutsideTransaction(Compensation compensation) throws Exception;

    /** A compensation handler call. */
    @FunctionalInterface
    interface Compensation {

        /**
         * @return what the handler returned
         * @throws Exception the handler's failure
         */
        Object run() throws Exception;
    }

    /** The fate of a transaction a step joined. */
    interface Joined {

        /** @return whether the transaction rolled back, or can only roll back now (marked rollback-only) */
        boolean undone();

        /** @return whether it is still running, its fate undecided */
        boolean open();

        /**
         * Defers a compensation to the transaction's completion: run after a commit, dropped after a
         * rollback (which undid the step's work).
         * @param compensation what to run
         */
        void compensateOnCommit(Runnable compensation);
    }
}
