package dev.reversible.spring.console;

/**
 * What the console may do with the {@code sagas} endpoint, as this application configures it.
 *
 * @param path where the endpoint is served below the servlet context path, e.g. {@code /actuator/sagas}, or
 *     null when it is not exposed over HTTP (or absent: no journal)
 * @param writable whether its retry and resolve operations are open ({@code management.endpoint.sagas.access=unrestricted})
 */
public record SagasEndpointAccess(String path, boolean writable) {

    /** The endpoint is not there for the console. */
    public static final SagasEndpointAccess NOT_EXPOSED = new SagasEndpointAccess(null, false);

    /** @return whether the endpoint is exposed over HTTP */
    public boolean exposed() {
        return path != null;
    }
}
