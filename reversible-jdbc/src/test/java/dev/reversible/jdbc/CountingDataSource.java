package dev.reversible.jdbc;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * Counts commits (a statement prepared in auto-commit mode counts as one) and the statements prepared (each a round trip when executed), and lets a test run something
 * on the committing thread just before a commit — to hold a transaction open (its locks taken) while another
 * thread acts.
 */
final class CountingDataSource extends DelegatingDataSource {

    private final AtomicInteger commits = new AtomicInteger();
    private final AtomicInteger statements = new AtomicInteger();
    private final ThreadLocal<Runnable> beforeCommit = new ThreadLocal<>();

    CountingDataSource(DataSource target) {
        super(target);
    }

    int commits() {
        return commits.get();
    }

    int statements() {
        return statements.get();
    }

    /** Runs {@code hook} before the next commits on this thread, until cleared with null. */
    void beforeCommitOnThisThread(Runnable hook) {
        if (hook == null) {
            beforeCommit.remove();
        }
        else {
            beforeCommit.set(hook);
        }
    }

    @Override
    public Connection getConnection() throws SQLException {
        return counting(super.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return counting(super.getConnection(username, password));
    }

    private Connection counting(Connection target) {
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("commit")) {
                        Runnable hook = beforeCommit.get();
                        if (hook != null) {
                            hook.run();
                        }
                        commits.incrementAndGet();
                    }
                    if (method.getName().startsWith("prepare") || method.getName().equals("createStatement")) {
                        statements.incrementAndGet();
                        if (target.getAutoCommit()) {
                            // a statement on its own commits when it returns
                            commits.incrementAndGet();
                        }
                    }
                    try {
                        return method.invoke(target, args);
                    }
                    catch (InvocationTargetException ex) {
                        throw ex.getCause();
                    }
                });
    }
}
