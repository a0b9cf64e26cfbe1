package dev.reversible.demo.web;

import java.net.URI;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.reversible.core.CompensationFailedException;
import dev.reversible.demo.account.InsufficientFundsException;
import dev.reversible.demo.inventory.InsufficientStockException;
import dev.reversible.demo.order.InvalidOrderException;
import dev.reversible.demo.order.OrderFailedException;
import dev.reversible.demo.shipping.ShipmentRefusedException;
import dev.reversible.jdbc.JournalException;
import tools.jackson.databind.json.JsonMapper;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.validation.FieldError;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error as an RFC 9457 {@code application/problem+json} body. Bad input names the offending
 * {@code field}; a failed order names its saga, the step that failed and the steps that were undone; a
 * database that cannot be used (down, unreachable, the journal unable to record a step) is a 503 at once,
 * without a stack trace; Spring MVC's own errors (unknown path, wrong method, ...) come through the base class.
 *
 * <pre>{@code
 * HTTP/1.1 402
 * Content-Type: application/problem+json
 * {"detail":"Balance of bob is 20.00, the order costs 40.00","instance":"/orders/3","status":402,
 *  "title":"Insufficient funds","orderId":3,"orderStatus":"CANCELLED","sagaName":"placeOrder",
 *  "sagaId":"214b73129f99-3","failedStep":"chargeAccount","compensatedSteps":["reserveStock"]}
 * }</pre>
 */
@RestControllerAdvice
class ProblemDetailsHandler extends ResponseEntityExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemDetailsHandler.class);

    private static final String DATABASE_UNAVAILABLE = "Database unavailable";

    private final JsonMapper json;

    ProblemDetailsHandler(JsonMapper json) {
        this.json = json;
    }

    @ExceptionHandler
    ProblemDetail orderFailed(OrderFailedException failure) {
        Throwable cause = failure.businessFailure();
        HttpStatus status;
        String title;
        String detail = cause.getMessage();
        if (DatabaseOutage.isCause(cause)) {
            // The journal could not record a step, or the database failed under it: no further step ran.
            status = HttpStatus.SERVICE_UNAVAILABLE;
            title = DATABASE_UNAVAILABLE;
            detail = databaseUnavailableDetail(cause);
        } else if (failure.isCompensationFailed()) {
            status = HttpStatus.INTERNAL_SERVER_ERROR;
            title = "Order not fully compensated";
        } else if (cause instanceof InsufficientStockException) {
            status = HttpStatus.CONFLICT;
            title = "Not enough stock";
        } else if (cause instanceof InsufficientFundsException) {
            status = HttpStatus.PAYMENT_REQUIRED;
            title = "Insufficient funds";
        } else if (cause instanceof ShipmentRefusedException) {
            status = HttpStatus.BAD_GATEWAY;
            title = "Shipment refused";
        } else {
            status = HttpStatus.INTERNAL_SERVER_ERROR;
            title = "Order failed";
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        problem.setInstance(URI.create("/orders/" + failure.orderId()));
        problem.setProperty("orderId", failure.orderId());
        problem.setProperty("orderStatus", failure.orderStatus());
        problem.setProperty("sagaName", failure.sagaName());
        problem.setProperty("sagaId", failure.sagaId());
        problem.setProperty("failedStep", failure.failedStep());
        problem.setProperty("compensatedSteps", failure.compensatedSteps());
        if (failure.isCompensationFailed()) {
            problem.setProperty("pendingSteps", failure.pendingSteps());
        }
        return problem;
    }

    /**
     * The database cannot be used: no connection, no transaction, or the journal could not record a saga's
     * start or a step's start (the step then never ran). 503 at once; the same request may succeed once the
     * database is back, and the journal compensates in the background whatever the outage interrupted. An incomplete
     * rollback arrives here without an order when the order could not be read back (the database failing under it).
     */
    @ExceptionHandler({ JournalException.class, DataAccessException.class, CannotCreateTransactionException.class,
            CompensationFailedException.class })
    ProblemDetail databaseUnavailable(RuntimeException failure) {
        if (!DatabaseOutage.isCause(failure)) {
            LOG.error("Request failed", failure);
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR, failure.getMessage());
            problem.setTitle("Internal error");
            return problem;
        }
        LOG.warn("Answered 503: {}", databaseUnavailableDetail(failure));
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, databaseUnavailableDetail(failure));
        problem.setTitle(DATABASE_UNAVAILABLE);
        return problem;
    }

    /** What went wrong, in one line: the root cause's message (the driver's or the pool's), never a stack or SQL. */
    private static String databaseUnavailableDetail(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return "The database cannot be used right now (" + root.getMessage() + "); nothing further was done, try again shortly";
    }

    @ExceptionHandler
    ProblemDetail invalidOrder(InvalidOrderException invalid) {
        return badRequest(invalid.getMessage(), invalid.field());
    }

    @ExceptionHandler
    ProblemDetail notFound(ResourceNotFoundException notFound) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, notFound.getMessage());
        problem.setTitle("Not found");
        return problem;
    }

    /** Bean Validation of the request body: every violation, the first by field name as {@code field}. */
    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException invalid,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<FieldError> errors = invalid.getBindingResult().getFieldErrors().stream()
                .sorted(Comparator.comparing(FieldError::getField))
                .toList();
        String detail = errors.stream().map(e -> e.getField() + " " + e.getDefaultMessage()).collect(Collectors.joining("; "));
        ProblemDetail problem = badRequest(detail, errors.isEmpty() ? null : errors.get(0).getField());
        problem.setProperty("errors", errors.stream().map(ProblemDetailsHandler::describe).toList());
        return handleExceptionInternal(invalid, problem, headers, status, request);
    }

    /**
     * A body that could not be read: the problem in the terms of the JSON the client sent, the offending field by its
     * path ({@link UnreadableBody}); never Jackson's message, which names Java types and parser internals.
     */
    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException unreadable, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        UnreadableBody body = UnreadableBody.of(unreadable, JsonBodyKeeper.body(request), json);
        return handleExceptionInternal(unreadable, badRequest(body.detail(), body.field()), headers, status, request);
    }

    /**
     * A body sent as something other than JSON: 415 as before (with the {@code Accept} header naming what is
     * accepted), and a detail that says what to send instead.
     */
    @Override
    protected ResponseEntity<Object> handleHttpMediaTypeNotSupported(HttpMediaTypeNotSupportedException unsupported, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        ProblemDetail problem = unsupported.getBody();
        MediaType sent = unsupported.getContentType();
        problem.setDetail("The body must be JSON, sent with Content-Type application/json"
                + (sent == null ? "" : "; this request's Content-Type is " + sent.getType() + "/" + sent.getSubtype()));
        return handleExceptionInternal(unsupported, problem, headers, status, request);
    }

    private static ProblemDetail badRequest(String detail, String field) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
        problem.setTitle("Invalid request");
        if (field != null) {
            problem.setProperty("field", field);
        }
        return problem;
    }

    private static Map<String, Object> describe(FieldError error) {
        Map<String, Object> described = new LinkedHashMap<>();
        described.put("field", error.getField());
        described.put("message", error.getDefaultMessage());
        return described;
    }
}
