package dev.reversible.demo.web;

/** A {@code GET} for an order, product or account that does not exist: a 404 problem. */
public class ResourceNotFoundException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param resource what was looked for ("order", "inventory item", "account")
     * @param id the id it was looked for by
     */
    public ResourceNotFoundException(String resource, Object id) {
        super("No " + resource + " '" + id + "'");
    }
}
