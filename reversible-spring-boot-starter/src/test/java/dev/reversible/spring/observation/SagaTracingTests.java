package dev.reversible.spring.observation;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import brave.Tracing;
import brave.handler.MutableSpan;
import brave.handler.SpanHandler;
import brave.propagation.ThreadLocalCurrentTraceContext;
import brave.propagation.TraceContext;
import brave.sampler.Sampler;
import dev.reversible.core.Action;
import dev.reversible.core.CompositeAction;
import dev.reversible.core.Reversible;
import dev.reversible.core.SagaExecutor;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.brave.bridge.BraveBaggageManager;
import io.micrometer.tracing.brave.bridge.BraveCurrentTraceContext;
import io.micrometer.tracing.brave.bridge.BraveFinishedSpan;
import io.micrometer.tracing.brave.bridge.BraveTracer;
import io.micrometer.tracing.exporter.FinishedSpan;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.test.simple.SpansAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static dev.reversible.spring.observation.SagaObservationListenerTests.failing;
import static dev.reversible.spring.observation.SagaObservationListenerTests.saga;
import static dev.reversible.spring.observation.SagaObservationListenerTests.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tests for {@link SagaObservationListener} with a real tracer behind Micrometer Tracing's observation handler (Brave,
 * through its Micrometer bridge, as Boot wires it): each saga is one trace, its steps and compensations are child
 * spans with the observations' key values as tags, a step started in another step's {@code forwards} is that step's
 * child span, and while a step or a compensation runs its span is the current one (so log lines carry its ids).
 */
class SagaTracingTests {

    /** The spans, in the order they ended. */
    private final List<FinishedSpan> spans = new CopyOnWriteArrayList<>();

    private final Tracing tracing = Tracing.newBuilder()
            .localServiceName("reversible-test")
            .currentTraceContext(ThreadLocalCurrentTraceContext.create())
            .sampler(Sampler.ALWAYS_SAMPLE)
            .addSpanHandler(new SpanHandler() {
                @Override
                public boolean end(TraceContext context, MutableSpan span, Cause cause) {
                    if (cause == Cause.FINISHED) {
                        spans.add(BraveFinishedSpan.fromBrave(span));
                    }
                    return true;
                }
            })
            .build();

    private final Tracer tracer = new BraveTracer(tracing.tracer(), new BraveCurrentTraceContext(tracing.currentTraceContext()),
            new BraveBaggageManager());

    private final ObservationRegistry registry = ObservationRegistry.create();

    private final SagaExecutor executor = SagaExecutor.builder().listener(new SagaObservationListener(registry)).build();

    SagaTracingTests() {
        registry.observationConfig().observationHandler(new DefaultTracingObservationHandler(tracer));
    }

    @AfterEach
    void closeTracing() {
        tracing.close();
    }

    @Test
    void rolledBackSagaIsOneTraceWithItsStepsAndCompensationsAsChildSpans() {
        List<String> current = new CopyOnWriteArrayList<>();
        Action<String> reserve = Reversible.action(context -> {
            current.add("forwards reserve " + tracer.currentSpan().context().spanId());
            return "reserved";
        }, context -> current.add("compensation reserve " + tracer.currentSpan().context().spanId())).named("reserve");

        assertThatThrownBy(() -> executor.execute(saga("order", reserve, failing("charge")))).hasMessage("declined");

        assertThat(names()).containsExactly("step reserve", "step charge", "compensation charge", "compensation reserve", "saga order");
        SpansAssert.assertThat(spans).haveSameTraceId();
        FinishedSpan saga = span("saga order");
        String sagaId = saga.getTags().get("saga.id");
        assertThat(sagaId).isNotBlank();
        assertThat(saga.getParentId()).isNull();
        assertThat(saga.getTags()).containsExactlyInAnyOrderEntriesOf(Map.of("saga", "order", "outcome", "compensated", "saga.id", sagaId,
                "error", "declined")); // Brave tags a span that has an error with its message
        assertThat(saga.getError()).isInstanceOf(IllegalStateException.class).hasMessage("declined");

        assertThat(spans).filteredOn(span -> span != saga).allSatisfy(child -> assertThat(child.getParentId()).isEqualTo(saga.getSpanId()));
        assertThat(span("step reserve").getTags()).containsExactlyInAnyOrderEntriesOf(
                Map.of("action", "reserve", "outcome", "completed", "saga", "order", "saga.id", sagaId));
        assertThat(span("step reserve").getError()).isNull();
        assertThat(span("step charge").getTags()).containsExactlyInAnyOrderEntriesOf(
                Map.of("action", "charge", "outcome", "failed", "saga", "order", "saga.id", sagaId, "error", "declined"));
        assertThat(span("step charge").getError()).hasMessage("declined");
        for (String action : List.of("charge", "reserve")) {
            assertThat(span("compensation " + action).getTags()).containsExactlyInAnyOrderEntriesOf(Map.of("action", action,
                    "outcome", "compensated", "saga", "order", "saga.id", sagaId, "compensation.attempts", "1"));
            assertThat(span("compensation " + action).getError()).isNull();
        }
        // While the step's forwards and its compensation run, their own spans are current: what they log carries their ids.
        assertThat(current).containsExactly("forwards reserve " + span("step reserve").getSpanId(),
                "compensation reserve " + span("compensation reserve").getSpanId());
        assertThat(tracer.currentSpan()).isNull();
    }

    @Test
    void sagaSpanIsAChildOfTheSpanCurrentWhenItStarts() throws Exception {
        Observation request = Observation.createNotStarted("http.server.requests", registry).contextualName("http post /orders").start();
        try (Observation.Scope scope = request.openScope()) {
            assertThatThrownBy(() -> executor.execute(saga("order", step("reserve"), failing("charge")))).hasMessage("declined");
        } finally {
            request.stop();
        }

        assertThat(names()).containsExactly("step reserve", "step charge", "compensation charge", "compensation reserve", "saga order",
                "http post /orders");
        SpansAssert.assertThat(spans).haveSameTraceId();
        FinishedSpan http = span("http post /orders");
        assertThat(http.getParentId()).isNull();
        assertThat(span("saga order").getParentId()).isEqualTo(http.getSpanId());
        assertThat(spans).filteredOn(span -> span.getName().startsWith("step ") || span.getName().startsWith("compensation "))
                .hasSize(4).allSatisfy(child -> assertThat(child.getParentId()).isEqualTo(span("saga order").getSpanId()));
    }

    @Test
    void stepStartedInAnotherStepsForwardsIsThatStepsChildSpan() throws Exception {
        Action<String> reserve = step("reserve");
        CompositeAction<String> checkout = Reversible.<String>gen(scope -> {
            // The body's scope, used inside a step's forwards: the step started there is that step's child (rule 14).
            scope.run(Reversible.action(context -> scope.run(reserve), context -> {
            }).named("placeOrder"));
            return scope.run(step("ship"));
        }).named("checkout");

        executor.execute(checkout);

        assertThat(names()).containsExactly("step reserve", "step placeOrder", "step ship", "saga checkout");
        SpansAssert.assertThat(spans).haveSameTraceId();
        FinishedSpan saga = span("saga checkout");
        assertThat(saga.getParentId()).isNull();
        assertThat(saga.getTags()).containsEntry("outcome", "completed");
        assertThat(span("step placeOrder").getParentId()).isEqualTo(saga.getSpanId());
        assertThat(span("step reserve").getParentId()).isEqualTo(span("step placeOrder").getSpanId());
        assertThat(span("step ship").getParentId()).isEqualTo(saga.getSpanId());
    }

    @Test
    void twoSagasAreTwoTraces() throws Exception {
        executor.execute(saga("order", step("reserve")));
        executor.execute(saga("order", step("reserve")));

        assertThat(names()).containsExactly("step reserve", "saga order", "step reserve", "saga order");
        SpansAssert.assertThat(spans.subList(0, 2)).haveSameTraceId();
        SpansAssert.assertThat(spans.subList(2, 4)).haveSameTraceId();
        assertThat(spans.get(0).getTraceId()).isNotEqualTo(spans.get(2).getTraceId());
        assertThat(spans.get(1).getTags().get("saga.id")).isNotEqualTo(spans.get(3).getTags().get("saga.id"));
    }

    private List<String> names() {
        return spans.stream().map(FinishedSpan::getName).toList();
    }

    private FinishedSpan span(String name) {
        List<FinishedSpan> named = spans.stream().filter(span -> name.equals(span.getName())).toList();
        assertThat(named).as("spans named %s", name).hasSize(1);
        return named.get(0);
    }
}
