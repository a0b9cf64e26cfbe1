package dev.reversible.benchmarks.journal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.LongAdder;

import javax.sql.DataSource;

import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * Counts the transactions committed through a {@code DataSource}: each {@code Connection.commit()}, and each
 * statement executed on a connection in auto-commit mode (a transaction of its own, committed by the
 * server). What the journal adds to a saga is read as the difference of two runs, with and without it.
 * The count costs one increment per commit, the same with and without the journal.
 *
 * <p>It also counts the round trips to the database that a PostgreSQL connection makes for the journal: each
 * statement executed (a batch as one), each commit and rollback, and each read or change of a connection's
 * isolation level (the driver sends each as a statement of its own) — what recovery's throughput is made of.
 */
final class CountingDataSource extends DelegatingDataSource {

    private final LongAdder commits = new LongAdder();
    private final LongAdder roundTrips = new LongAdder();

    CountingDataSource(DataSource target) {
        super(target);
    }

    /** Closes the pool (Spring calls it when the context closes). */
    public void close() throws Exception {
        if (getTargetDataSource() instanceof AutoCloseable pool) {
            pool.close();
        }
    }

    /** @return the transactions committed so far */
    long commits() {
        return commits.sum();
    }

    /** @return the statements, commits, rollbacks and isolation reads and changes sent so far */
    long roundTrips() {
        return roundTrips.sum();
    }

    @Override
    public Connection getConnection() throws SQLException {
        return counting(super.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return counting(super.getConnection(username, password));
    }

    private Connection counting(Connection connection) {
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { Connection.class },
                new ConnectionHandler(connection));
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** Counts {@code commit()}, and hands out counting statements. */
    private final class ConnectionHandler implements InvocationHandler {

        private final Connection connection;

        ConnectionHandler(Connection connection) {
            this.connection = connection;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            switch (method.getName()) {
                case "commit" -> {
                    Object result = CountingDataSource.invoke(connection, method, args);
                    commits.increment();
                    roundTrips.increment();
                    return result;
                }
                case "rollback", "setTransactionIsolation", "getTransactionIsolation" -> roundTrips.increment();
                case "unwrap" -> {
                    if (args[0] == Connection.class) {
                        return connection;
                    }
                }
                case "equals" -> {
                    return proxy == args[0];
                }
                case "hashCode" -> {
                    return System.identityHashCode(proxy);
                }
                default -> {
                }
            }
            Object result = CountingDataSource.invoke(connection, method, args);
            if (result instanceof Statement statement) {
                return Proxy.newProxyInstance(getClass().getClassLoader(), statementTypes(statement),
                        new StatementHandler(connection, statement, proxy));
            }
            return result;
        }

        private Class<?>[] statementTypes(Statement statement) {
            if (statement instanceof java.sql.CallableStatement) {
                return new Class<?>[] { java.sql.CallableStatement.class };
            }
            if (statement instanceof java.sql.PreparedStatement) {
                return new Class<?>[] { java.sql.PreparedStatement.class };
            }
            return new Class<?>[] { Statement.class };
        }
    }

    /** Counts each execution in auto-commit mode as a commit. */
    private final class StatementHandler implements InvocationHandler {

        private final Connection connection;
        private final Statement statement;
        private final Object connectionProxy;

        StatementHandler(Connection connection, Statement statement, Object connectionProxy) {
            this.connection = connection;
            this.statement = statement;
            this.connectionProxy = connectionProxy;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (method.getName().equals("getConnection")) {
                return connectionProxy;
            }
            Object result = CountingDataSource.invoke(statement, method, args);
            if (method.getName().startsWith("execute")) {
                roundTrips.increment();
                if (connection.getAutoCommit()) {
                    commits.increment();
                }
            }
            return result;
        }
    }
}
