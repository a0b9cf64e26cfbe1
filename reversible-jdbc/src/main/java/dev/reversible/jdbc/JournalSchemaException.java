package dev.reversible.jdbc;

/**
 * The journal's tables are missing or older than this library: the message names the script to apply
 * (a failure analyzer can show it as is).
 */
public class JournalSchemaException extends JournalException {

    private static final long serialVersionUID = 1L;

    private final String script;

    /**
     * @param message what is wrong
     * @param script the class path location of the script to apply
     * @param cause the database's error, or null
     */
    public JournalSchemaException(String message, String script, Throwable cause) {
        super(message, cause);
        this.script = script;
    }

    /** @return the class path location of the script to apply, e.g. {@code classpath:dev/reversible/jdbc/schema-postgresql.sql} */
    public String script() {
        return script;
    }
}
