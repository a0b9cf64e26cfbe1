package dev.reversible.demo.order;

/** A request that names an unknown customer or product: refused before any saga starts, nothing written. */
public class InvalidOrderException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String field;

    /**
     * @param field the offending request field
     * @param message what is wrong with it
     */
    public InvalidOrderException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** @return the offending request field */
    public String field() {
        return field;
    }
}
