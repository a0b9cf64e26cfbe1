package dev.reversible.demo;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The demo's log lines as an operator reads them: with the Brave bridge, every line written while an order's saga
 * runs carries the trace id and span id, then the saga's name and id ({@code logging.pattern.correlation}), so a
 * rolled-back order's saga id (from its problem response, the endpoint or the WARN line) leads to its trace id.
 */
@ExtendWith(OutputCaptureExtension.class)
class TraceCorrelationTests extends HttpTestSupport {

    /** {@code [thread] [traceId spanId] [sagaName sagaId] logger : message}: the correlation pattern of application.properties. */
    private static final Pattern LINE = Pattern.compile(
            "\\[\\s*([^\\]]+)\\] \\[(\\p{XDigit}{16,32}) (\\p{XDigit}{16})\\] \\[(\\w*) ([^\\]]*)\\] .*?: (.*)$");

    /** One parsed log line. */
    private record Logged(String thread, String traceId, String spanId, String sagaName, String sagaId, String message) {
    }

    @Test
    void rolledBackOrdersLogLinesShareOneTraceIdWithItsSagaId(CapturedOutput output) {
        Reply refused = postOrder("alice", "BOOK-1", 2, "AQ");
        assertThat(refused.status()).isEqualTo(502);
        String sagaId = refused.text("sagaId");
        long orderId = refused.body().get("orderId").longValue();
        assertThat(sagaId).isNotBlank();

        List<Logged> lines = logged(output);
        // Every line of this order, the saga's WARN summary included, in the order they were written.
        List<Logged> order = lines.stream().filter(line -> line.message().contains("order " + orderId + " ")
                || line.message().endsWith("order " + orderId) || line.message().contains("(" + sagaId + ")")).toList();
        assertThat(order).extracting(Logged::message).containsExactly(
                "Created order " + orderId + " for alice: 2 x BOOK-1 to AQ",
                "Reserved 2 x BOOK-1 for order " + orderId,
                "Charged 25.00 to alice for order " + orderId,
                "The carrier refused order " + orderId + " to AQ",
                "Refunded 25.00 to alice for order " + orderId,
                "Released 2 x BOOK-1 of order " + orderId,
                "Cancelled order " + orderId,
                "Saga placeOrder (" + sagaId + ") rolled back after step bookShipment failed with ShipmentRefusedException: "
                        + "The carrier does not deliver to AQ; compensated [bookShipment, chargeAccount, reserveStock, createOrder]");
        String traceId = order.get(0).traceId();
        assertThat(order).extracting(Logged::traceId).containsOnly(traceId);
        // Steps and compensations are spans of their own, in the one trace.
        assertThat(order.subList(0, 7)).extracting(Logged::spanId).doesNotHaveDuplicates();
        // The saga's id and name are in the MDC of every line its steps and compensations write, on the request's
        // thread and on the task executor's (the carrier's line): the saga's context travels with the task.
        assertThat(order).extracting(Logged::sagaName, Logged::sagaId).containsOnly(tuple("placeOrder", sagaId));
        assertThat(order.get(3).thread()).isNotEqualTo(order.get(0).thread());
        // No other saga's line is in that trace, and every line with that saga id is in it.
        assertThat(lines).filteredOn(line -> line.traceId().equals(traceId)).extracting(Logged::sagaId).containsOnly(sagaId);
        assertThat(lines).filteredOn(line -> line.sagaId().equals(sagaId)).extracting(Logged::traceId).containsOnly(traceId);
    }

    @Test
    void twoOrdersAreTwoTraces(CapturedOutput output) {
        Reply placed = postOrder("alice", "BOOK-1", 1, "DE");
        Reply refused = postOrder("alice", "BOOK-1", 1, "AQ");
        assertThat(placed.status()).isEqualTo(201);
        assertThat(refused.status()).isEqualTo(502);

        List<Logged> lines = logged(output);
        String placedTrace = traceOf(lines, "Reserved 1 x BOOK-1 for order " + placed.body().get("orderId").longValue());
        String refusedTrace = traceOf(lines, "Reserved 1 x BOOK-1 for order " + refused.body().get("orderId").longValue());
        assertThat(placedTrace).isNotEqualTo(refusedTrace);
        assertThat(lines).filteredOn(line -> line.traceId().equals(placedTrace)).extracting(Logged::message)
                .contains("Booked shipment TRK-%06d of order %d to DE".formatted(placed.body().get("orderId").longValue(),
                        placed.body().get("orderId").longValue()));
    }

    private static String traceOf(List<Logged> lines, String message) {
        List<String> traces = lines.stream().filter(line -> line.message().equals(message)).map(Logged::traceId).toList();
        assertThat(traces).hasSize(1);
        return traces.get(0);
    }

    /** The captured lines that carry a trace id, parsed; the others (start-up, no request) are left out. */
    private static List<Logged> logged(CapturedOutput output) {
        return output.getOut().lines().map(LINE::matcher).filter(Matcher::find)
                .map(m -> new Logged(m.group(1), m.group(2), m.group(3), m.group(4), m.group(5).trim(), m.group(6))).toList();
    }
}
