package dev.reversible.spring.actuate.endpoint;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * The {@code sagas} endpoint over HTTP, with its status codes: 400 for a bad {@code status}, a {@code limit}
 * outside 1..1000, a negative {@code offset} or a blank note; 404 for an unknown saga; 409 for a retry or resolve of a saga that is not
 * {@code STUCK} (another operator was first), with {@code {"message", "status"}}.
 */
@EndpointWebExtension(endpoint = SagasEndpoint.class)
public class SagasEndpointWebExtension {

    private final SagasEndpoint endpoint;

    /** @param endpoint the endpoint this gives status codes to */
    public SagasEndpointWebExtension(SagasEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    /**
     * {@code GET /actuator/sagas?status=&limit=&offset=}.
     * @param securityContext who asks
     * @param status only sagas in this status
     * @param limit the most sagas, 1 to 1000 (100 when absent)
     * @param offset how many of the newest to skip (0 when absent)
     * @return 200 {@code {"sagas": […], "counts": {…}}} newest first, or 400
     */
    @ReadOperation
    public WebEndpointResponse<Object> sagas(SecurityContext securityContext, @Nullable String status, @Nullable Integer limit,
            @Nullable Integer offset) {
        return endpoint.list(securityContext, status, limit, offset);
    }

    /**
     * {@code GET /actuator/sagas/{id}}.
     * @param securityContext who asks
     * @param id a saga's id
     * @return 200 with the saga, or 404
     */
    @ReadOperation
    public WebEndpointResponse<Object> saga(SecurityContext securityContext, @Selector String id) {
        return endpoint.find(securityContext, id);
    }

    /**
     * {@code POST /actuator/sagas/{id}/retry}, {@code POST /actuator/sagas/{id}/resolve} ({@code {"note": "…"}}) and
     * {@code POST /actuator/sagas/{id}/cancel}.
     * @param securityContext who asks
     * @param id a saga's id
     * @param operation {@code retry}, {@code resolve} or {@code cancel}
     * @param note why, for {@code resolve}
     * @return 200 with the saga after the operation, 400, 404 or 409
     */
    @WriteOperation
    public WebEndpointResponse<Object> operate(SecurityContext securityContext, @Selector String id, @Selector String operation,
            @Nullable String note) {
        return endpoint.run(securityContext, id, operation, note);
    }

    /**
     * The same operations for a request with no body and no content type ({@code curl -X POST …/retry}, or an
     * HTTP client posting nothing): the actuator requires a JSON content type for an operation that takes any
     * parameter besides its selectors, so without this one such a retry would answer 415. A resolve arriving
     * here has no note: 400. Without a {@link SecurityContext} messages show only under {@code show-values=always}.
     * @param id a saga's id
     * @param operation {@code retry}, {@code resolve} or {@code cancel}
     * @return 200 with the saga after the operation, 400, 404 or 409
     */
    @WriteOperation
    public WebEndpointResponse<Object> operateWithoutBody(@Selector String id, @Selector String operation) {
        return endpoint.run(SecurityContext.NONE, id, operation, null);
    }
}
