package dev.reversible.jdbc;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Who is alive, decided on the database's clock. Every instance registers once per life under a fresh
 * random id, heartbeats with {@code CURRENT_TIMESTAMP} (never the JVM's clock, so a skewed JVM clock can
 * neither keep a dead instance alive nor make a live one look dead), and deletes its row on a graceful
 * shutdown so that others need not wait for the timeout.
 *
 * <pre>{@code
 * JournalInstance me = instances.register("orders@host-1");
 * scheduler.scheduleAtFixedRate(() -> instances.heartbeat(me), 5, 5, SECONDS);
 * ...
 * instances.gone(me);   // on shutdown, after running sagas finished
 * }</pre>
 */
public final class InstanceRegistry {

    private final JdbcJournal journal;
    private final String instances;

    /** @param journal the journal's database */
    public InstanceRegistry(JdbcJournal journal) {
        this.journal = Objects.requireNonNull(journal, "journal");
        this.instances = journal.tables().instances();
    }

    /**
     * @param name the display name (application name and host)
     * @return this instance's new life, heartbeat written now
     */
    public JournalInstance register(String name) {
        JournalInstance instance = new JournalInstance(UUID.randomUUID().toString(), name);
        journal.inOwnTransaction(() -> insert(instance));
        return instance;
    }

    /**
     * Writes the heartbeat on the database's clock. When the row is gone (deleted as dead while this instance
     * was paused), it is written again: the sagas claimed meanwhile stay with their new owner (epochs fence
     * this instance's stale writes).
     * @param instance this instance
     * @return whether the row was still there
     */
    public boolean heartbeat(JournalInstance instance) {
        return journal.inOwnTransaction(() -> {
            int rows = journal.jdbc().sql("UPDATE " + instances + " SET heartbeat = " + journal.dialect().databaseNow()
                    + " WHERE id = :id").param("id", instance.id()).update();
            if (rows == 0) {
                insert(instance);
            }
            return rows > 0;
        });
    }

    /**
     * Deletes this instance's row on a graceful shutdown: its unfinished sagas, if any are left, are
     * claimable at once.
     * @param instance this instance
     */
    public void gone(JournalInstance instance) {
        journal.inOwnTransaction(() -> {
            journal.jdbc().sql("DELETE FROM " + instances + " WHERE id = :id").param("id", instance.id()).update();
        });
    }

    /** @return the instances whose heartbeat is older than the instance timeout, on the database's clock */
    public List<JournalInstance> deadInstances() {
        return journal.inOwnTransaction(() -> journal.jdbc()
                .sql("SELECT id, name FROM " + instances + " WHERE heartbeat < " + deadline() + " ORDER BY heartbeat")
                .query((rs, row) -> new JournalInstance(rs.getString("id"), rs.getString("name"))).list());
    }

    /**
     * Deletes the rows of dead instances that own no running or compensating saga any more (every life of
     * every instance leaves one row; recovery claims their sagas first).
     * @return how many rows were deleted
     */
    public int forgetDeadInstances() {
        String sagas = journal.tables().sagas();
        return journal.inOwnTransaction(() -> journal.jdbc().sql("DELETE FROM " + instances + " WHERE heartbeat < "
                + deadline() + " AND NOT EXISTS (SELECT 1 FROM " + sagas + " WHERE " + sagas + ".owner_instance = "
                + instances + ".id AND " + sagas + ".status IN ('RUNNING', 'COMPENSATING'))").update());
    }

    private String deadline() {
        return journal.dialect().databaseNowMinus(journal.settings().instanceTimeout());
    }

    private void insert(JournalInstance instance) {
        String now = journal.dialect().databaseNow();
        journal.jdbc().sql("INSERT INTO " + instances + " (id, name, started_at, heartbeat) VALUES (:id, :name, "
                + now + ", " + now + ")").param("id", instance.id()).param("name", instance.name()).update();
    }
}
