package dev.reversible.spring.actuate.endpoint;

import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.reversible.jdbc.SagaStatus;
import dev.reversible.jdbc.StoredSaga;
import dev.reversible.spring.jdbc.SagaOperationResult;
import dev.reversible.spring.jdbc.SagaOperations;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

/**
 * The journal's sagas for an operator: {@code GET /actuator/sagas?status=&limit=&offset=} (newest first, 100 by
 * default, at most 1000, the {@code offset} newest skipped; with the count of sagas in each status), {@code GET /actuator/sagas/{id}}, and for a {@code STUCK} saga
 * {@code POST /actuator/sagas/{id}/retry} and {@code POST /actuator/sagas/{id}/resolve} with
 * {@code {"note": "…"}}. The HTTP status codes (400, 404, 409) come from {@link SagasEndpointWebExtension}; the
 * operations themselves are {@link SagaOperations}'.
 *
 * <p>Read-only by default: the write operations exist only with
 * {@code management.endpoint.sagas.access=unrestricted} (secure the actuator paths, e.g. with Spring Security,
 * before you open them). Exception messages follow {@code management.endpoint.sagas.show-values}
 * ({@code never} by default).
 *
 * <pre>{@code
 * management.endpoints.web.exposure.include=health,sagas
 * management.endpoint.sagas.access=unrestricted
 * }</pre>
 */
@Endpoint(id = "sagas", defaultAccess = Access.READ_ONLY)
public class SagasEndpoint {

    /** How many sagas a list shows when no {@code limit} is given. */
    public static final int DEFAULT_LIMIT = 100;

    static final int CONFLICT = 409;

    private final SagaOperations operations;
    private final Show showValues;
    private final Set<String> roles;

    /**
     * @param operations the operator API
     * @param showValues when exception messages are shown
     * @param roles the roles that see them under {@link Show#WHEN_AUTHORIZED}
     */
    public SagasEndpoint(SagaOperations operations, Show showValues, Collection<String> roles) {
        this.operations = operations;
        this.showValues = showValues;
        this.roles = Set.copyOf(roles);
    }

    /**
     * @param securityContext who asks (for {@code show-values})
     * @param status only sagas in this status
     * @param limit the most sagas to show, 1 to 1000; 100 when absent
     * @param offset how many of the newest to skip (a page), 0 when absent
     * @return the sagas, newest first, and the counts per status
     */
    @ReadOperation
    public SagaDescriptor.SagasDescriptor sagas(SecurityContext securityContext, @Nullable String status, @Nullable Integer limit,
            @Nullable Integer offset) {
        return unwrap(list(securityContext, status, limit, offset));
    }

    /**
     * @param securityContext who asks
     * @param id a saga's id
     * @return the saga, or null (not found)
     */
    @ReadOperation
    public SagaDescriptor saga(SecurityContext securityContext, @Selector String id) {
        return unwrap(find(securityContext, id));
    }

    /**
     * @param securityContext who asks
     * @param id a saga's id
     * @param operation {@code retry}, {@code resolve} or {@code cancel}
     * @param note why, for {@code resolve}
     * @return the saga after the operation, or null (not found)
     */
    @WriteOperation
    public SagaDescriptor operate(SecurityContext securityContext, @Selector String id, @Selector String operation, @Nullable String note) {
        return unwrap(run(securityContext, id, operation, note));
    }

    // ---- shared with the web extension, which answers with these status codes ------------------------------

    WebEndpointResponse<Object> list(SecurityContext securityContext, String status, Integer limit, Integer offset) {
        SagaStatus wanted = null;
        if (status != null && !status.isBlank()) {
            try {
                wanted = SagaStatus.valueOf(status.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                return badRequest("Unknown saga status '" + status + "'; one of " + java.util.Arrays.toString(SagaStatus.values()));
            }
        }
        int max = limit == null ? DEFAULT_LIMIT : limit;
        if (max < 1 || max > SagaOperations.MAX_LIMIT) {
            return badRequest("limit must be between 1 and " + SagaOperations.MAX_LIMIT + ", not " + max);
        }
        int skip = offset == null ? 0 : offset;
        if (skip < 0) {
            return badRequest("offset must not be negative, not " + skip);
        }
        boolean show = show(securityContext);
        Map<String, Long> counts = new java.util.LinkedHashMap<>();
        operations.counts().forEach((each, count) -> counts.put(each.name(), count));
        return new WebEndpointResponse<>(new SagaDescriptor.SagasDescriptor(
                operations.list(wanted, max, skip).stream().map(saga -> describe(saga, show)).toList(), counts));
    }

    WebEndpointResponse<Object> find(SecurityContext securityContext, String id) {
        Optional<StoredSaga> saga = operations.find(id);
        return saga.<WebEndpointResponse<Object>>map(found -> new WebEndpointResponse<>(describe(found, show(securityContext))))
                .orElseGet(() -> new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND));
    }

    WebEndpointResponse<Object> run(SecurityContext securityContext, String id, String operation, String note) {
        SagaOperationResult result;
        switch (operation) {
            case "retry" -> result = operations.retry(id);
            case "cancel" -> result = operations.cancel(id);
            case "resolve" -> {
                if (note == null || note.isBlank()) {
                    return badRequest("A resolved saga needs a note saying why: {\"note\": \"…\"}");
                }
                result = operations.resolve(id, note);
            }
            default -> {
                return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
            }
        }
        return switch (result.outcome()) {
            case DONE -> new WebEndpointResponse<>(describe(result.saga(), show(securityContext)));
            case NOT_FOUND -> new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
            case CONFLICT -> new WebEndpointResponse<>(Map.of("message", "Saga " + id + " is " + result.saga().status()
                    + (operation.equals("cancel") ? ", not RUNNING: nothing was cancelled"
                            : ", not STUCK: nothing was " + (operation.equals("retry") ? "retried" : "resolved")),
                    "status", result.saga().status().name()), CONFLICT);
        };
    }

    private boolean show(SecurityContext securityContext) {
        return showValues.isShown(securityContext, roles);
    }

    private static WebEndpointResponse<Object> badRequest(String message) {
        return new WebEndpointResponse<>(Map.of("message", message), WebEndpointResponse.STATUS_BAD_REQUEST);
    }

    @SuppressWarnings("unchecked")
    private static <T> T unwrap(WebEndpointResponse<Object> response) {
        return switch (response.getStatus()) {
            case WebEndpointResponse.STATUS_OK -> (T) response.getBody();
            case WebEndpointResponse.STATUS_NOT_FOUND -> null;
            case WebEndpointResponse.STATUS_BAD_REQUEST -> throw new InvalidEndpointRequestException(
                    String.valueOf(((Map<?, ?>) response.getBody()).get("message")), "Bad request");
            default -> throw new IllegalStateException(String.valueOf(((Map<?, ?>) response.getBody()).get("message")));
        };
    }

    private SagaDescriptor describe(StoredSaga saga, boolean show) {
        return SagaDescriptor.of(saga, show, operations.unrecoverableReason(saga).orElse(null));
    }
}
