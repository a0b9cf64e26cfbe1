package dev.reversible.spring.actuate.endpoint;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.reversible.jdbc.ErrorText;
import dev.reversible.jdbc.StoredCompensation;
import dev.reversible.jdbc.StoredSaga;
import dev.reversible.jdbc.StoredStep;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;

/**
 * One saga as the {@code sagas} endpoint shows it: what an operator needs to understand it, and never its
 * arguments, results or stack traces. Exception messages (which often carry customer data) are shown only
 * when {@code management.endpoint.sagas.show-values} allows; otherwise they read {@value #HIDDEN}, as
 * Boot's sanitizer writes.
 *
 * <pre>{@code
 * {"id": "…", "name": "OrderService.place", "status": "STUCK", "startedAt": "2026-11-29T00:31:07.120Z",
 *  "updatedAt": "…", "owner": "shop@host-1", "failedStep": "ship",
 *  "lastError": {"class": "java.lang.IllegalStateException", "message": "******"}, "recovered": false, "note": null,
 *  "recoverable": true, "unrecoverableReason": null,
 *  "steps": [{"index": 0, "parent": null, "action": "reserve", "status": "COMPENSATION_FAILED", "attempts": 1,
 *             "lastError": {…}, "startedAt": "2026-11-29T00:31:07.121Z", "endedAt": "2026-11-29T00:31:07.180Z",
 *             "compensations": [{"attempt": 1, "startedAt": "…", "endedAt": "…", "outcome": "failed",
 *                                "error": {"class": "…", "message": "******"}}]}, …]}
 * }</pre>
 *
 * @param id the saga's id
 * @param name its name
 * @param status where it is
 * @param startedAt when it started, ISO-8601 UTC
 * @param updatedAt when it was last written, ISO-8601 UTC
 * @param owner the display name of the instance that owns it
 * @param failedStep the action whose failure started its compensation, or null
 * @param lastError the failure that made it compensate or stick ({@code class}, {@code message}), or null
 * @param recovered whether an instance other than the one that started it took it over
 * @param note the operator's note, or null
 * @param recoverable whether this instance's code can compensate every step still to undo
 * @param unrecoverableReason why it cannot (a step's bean or action unknown here, its arguments unreadable, a step
 *     that can never be found again), as {@code show-values} allows, or null
 * @param steps its steps in order of start
 */
@JsonInclude(JsonInclude.Include.ALWAYS)   // actuator's mapper leaves nulls out; here a null says something ("no note")
public record SagaDescriptor(String id, String name, String status, String startedAt, String updatedAt, String owner,
        String failedStep, Map<String, String> lastError, boolean recovered, String note, boolean recoverable,
        String unrecoverableReason, List<StepDescriptor> steps) implements OperationResponseBody {

    /** What a hidden exception message reads: the same as on the {@code reversible} endpoint. */
    public static final String HIDDEN = ReversibleEndpoint.HIDDEN;

    /**
     * @param saga a saga from the journal
     * @param showMessages whether exception messages are shown
     * @return how the endpoint shows it
     */
    public static SagaDescriptor of(StoredSaga saga, boolean showMessages) {
        return of(saga, showMessages, null);
    }

    /**
     * @param saga a saga from the journal
     * @param showMessages whether exception messages (and the unrecoverable reason, which may quote a payload) are shown
     * @param unrecoverableReason why this instance cannot compensate it, or {@code null} when it can
     * @return how the endpoint shows it
     */
    public static SagaDescriptor of(StoredSaga saga, boolean showMessages, String unrecoverableReason) {
        List<StepDescriptor> steps = saga.steps().stream().map(step -> StepDescriptor.of(step, showMessages)).toList();
        return new SagaDescriptor(saga.id(), saga.name(), saga.status().name(), text(saga.startedAt()), text(saga.updatedAt()),
                saga.ownerName(), saga.failedStep(), error(saga.lastError(), showMessages), saga.recovered(), saga.note(),
                unrecoverableReason == null, unrecoverableReason == null ? null : showMessages ? unrecoverableReason : HIDDEN, steps);
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    /** {@code {"class": …, "message": …}}: a map, since {@code class} cannot name a record component. */
    static Map<String, String> error(ErrorText error, boolean showMessages) {
        if (error == null) {
            return null;
        }
        Map<String, String> shown = new LinkedHashMap<>();
        shown.put("class", error.className());
        shown.put("message", showMessages || error.message() == null ? error.message() : HIDDEN);
        return shown;
    }

    /**
     * One step of a saga.
     * @param index its index in the saga
     * @param parent its parent step's index, or null
     * @param action its action's name
     * @param status where it is
     * @param attempts compensation attempts so far
     * @param lastError its last failure, or its compensation's ({@code class}, {@code message}), or null
     * @param startedAt when its start was recorded, ISO-8601 UTC, or null (journaled before step times were)
     * @param endedAt when its end was recorded, or null (running, in doubt, or undone with its transaction)
     * @param compensations each attempt of its compensation, in order
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record StepDescriptor(int index, Integer parent, String action, String status, int attempts, Map<String, String> lastError,
            String startedAt, String endedAt, List<CompensationDescriptor> compensations) {

        static StepDescriptor of(StoredStep step, boolean showMessages) {
            return new StepDescriptor(step.index(), step.parentIndex(), step.actionName(), step.status().name(), step.attempts(),
                    error(step.lastError(), showMessages), text(step.startedAt()), text(step.endedAt()),
                    step.compensations().stream().map(attempt -> CompensationDescriptor.of(attempt, showMessages)).toList());
        }
    }

    /**
     * One attempt of a step's compensation.
     * @param attempt the attempt, from 1 (in-memory and persistent attempts counted alike)
     * @param startedAt when it started, ISO-8601 UTC
     * @param endedAt when it ended
     * @param outcome {@code compensated} or {@code failed}
     * @param error what it threw ({@code class}, {@code message}), or null
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record CompensationDescriptor(int attempt, String startedAt, String endedAt, String outcome, Map<String, String> error) {

        static CompensationDescriptor of(StoredCompensation attempt, boolean showMessages) {
            return new CompensationDescriptor(attempt.attempt(), text(attempt.startedAt()), text(attempt.endedAt()),
                    attempt.outcome().name().toLowerCase(Locale.ROOT), SagaDescriptor.error(attempt.error(), showMessages));
        }
    }

    /**
     * The answer of {@code GET /actuator/sagas}.
     * @param sagas newest first
     * @param counts how many sagas the journal holds in each status (every status, zero included), whatever the filter
     */
    public record SagasDescriptor(List<SagaDescriptor> sagas, Map<String, Long> counts) implements OperationResponseBody {
    }
}
