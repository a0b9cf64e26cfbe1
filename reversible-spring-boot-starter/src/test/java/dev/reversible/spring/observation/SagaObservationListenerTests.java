package dev.reversible.spring.observation;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.reversible.core.Action;
import dev.reversible.core.CompositeAction;
import dev.reversible.core.Reversible;
import dev.reversible.core.SagaExecutor;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.Test;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tests for {@link SagaObservationListener}: with a recording registry, the observations of a real executor have
 * the documented names and key values, and their parents follow the saga's structure.
 */
class SagaObservationListenerTests {

    private final TestObservationRegistry registry = TestObservationRegistry.create();

    /** Every context, in order of start. */
    private final List<Observation.Context> started = new CopyOnWriteArrayList<>();

    private final SagaExecutor executor = SagaExecutor.builder().listener(new SagaObservationListener(registry)).build();

    SagaObservationListenerTests() {
        registry.observationConfig().observationHandler(new ObservationHandler<>() {
            @Override
            public void onStart(Observation.Context context) {
                started.add(context);
            }

            @Override
            public boolean supportsContext(Observation.Context context) {
                return true;
            }
        });
    }

    @Test
    void completedSagaIsOneObservationWithItsStepsAsChildren() throws Exception {
        executor.execute(saga("order", step("reserve"), step("charge")));

        assertThat(registry).hasNumberOfObservationsEqualTo(3)
                .hasObservationWithNameEqualTo("reversible.saga").that()
                .hasContextualNameEqualTo("saga order")
                .hasLowCardinalityKeyValue("saga", "order").hasLowCardinalityKeyValue("outcome", "completed")
                .hasHighCardinalityKeyValueWithKey("saga.id").hasBeenStarted().hasBeenStopped().doesNotHaveError();
        Observation.Context saga = only("reversible.saga");
        List<Observation.Context> steps = all("reversible.step");
        assertThat(steps).extracting(step -> step.getLowCardinalityKeyValue("action").getValue()).containsExactly("reserve", "charge");
        assertThat(steps).allSatisfy(step -> {
            assertThat(step.getParentObservation().getContextView()).isSameAs(saga);
            assertThat(step.getLowCardinalityKeyValue("outcome").getValue()).isEqualTo("completed");
            assertThat(step.getHighCardinalityKeyValue("saga.id")).isEqualTo(saga.getHighCardinalityKeyValue("saga.id"));
            assertThat(step.getHighCardinalityKeyValue("saga")).isEqualTo(KeyValue.of("saga", "order"));
        });
        assertThat(registry.getCurrentObservation()).isNull();
    }

    @Test
    void rolledBackSagaHasItsCompensationsAsChildrenOfTheSaga() {
        assertThatThrownBy(() -> executor.execute(saga("order", step("reserve"), failing("charge")))).hasMessage("declined");

        Observation.Context saga = only("reversible.saga");
        assertThat(saga.getLowCardinalityKeyValue("outcome").getValue()).isEqualTo("compensated");
        assertThat(saga.getError()).isInstanceOf(IllegalStateException.class).hasMessage("declined");
        assertThat(all("reversible.step")).extracting(step -> step.getLowCardinalityKeyValue("action").getValue() + ":"
                + step.getLowCardinalityKeyValue("outcome").getValue()).containsExactly("reserve:completed", "charge:failed");
        List<Observation.Context> compensations = all("reversible.compensation");
        // The failed step is undone first (rule 6), then the completed one.
        assertThat(compensations).extracting(c -> c.getLowCardinalityKeyValue("action").getValue()).containsExactly("charge", "reserve");
        assertThat(compensations).allSatisfy(c -> {
            assertThat(c.getParentObservation().getContextView()).isSameAs(saga);
            assertThat(c.getLowCardinalityKeyValue("outcome").getValue()).isEqualTo("compensated");
            assertThat(c.getHighCardinalityKeyValue("compensation.attempts").getValue()).isEqualTo("1");
        });
        assertThat(registry.getCurrentObservation()).isNull();
    }

    @Test
    void failedCompensationIsAnObservationWithItsError() {
        assertThatThrownBy(() -> executor.execute(saga("order", irreversible("reserve"), failing("charge"))));

        assertThat(only("reversible.saga").getLowCardinalityKeyValue("outcome").getValue()).isEqualTo("compensation_failed");
        Observation.Context reserve = all("reversible.compensation").stream()
                .filter(c -> c.getLowCardinalityKeyValue("action").getValue().equals("reserve")).findFirst().orElseThrow();
        assertThat(reserve.getLowCardinalityKeyValue("outcome").getValue()).isEqualTo("failed");
        assertThat(reserve.getError()).hasMessage("cannot undo reserve");
    }

    @Test
    void stepStartedInAnotherStepsForwardsIsThatStepsChild() throws Exception {
        Action<String> reserve = step("reserve");
        CompositeAction<String> saga = Reversible.<String>gen(scope -> {
            // The body's scope, used inside a step's forwards: the step started there is that step's child (rule 14).
            scope.run(Reversible.action(context -> scope.run(reserve), context -> {
            }).named("placeOrder"));
            return scope.run(step("ship"));
        }).named("checkout");
        executor.execute(saga);

        Observation.Context checkout = only("reversible.saga");
        Observation.Context placeOrder = step("placeOrder", all("reversible.step"));
        assertThat(placeOrder.getParentObservation().getContextView()).isSameAs(checkout);
        assertThat(step("reserve", all("reversible.step")).getParentObservation().getContextView()).isSameAs(placeOrder);
        assertThat(step("ship", all("reversible.step")).getParentObservation().getContextView()).isSameAs(checkout);
        assertThat(all("reversible.saga")).hasSize(1);
    }

    @Test
    void sagaObservationIsAChildOfTheObservationCurrentWhenItStarts() throws Exception {
        Observation request = Observation.start("http.server.requests", registry);
        try (Observation.Scope scope = request.openScope()) {
            executor.execute(saga("order", step("reserve")));
            assertThat(registry.getCurrentObservation()).isSameAs(request);
        } finally {
            request.stop();
        }
        assertThat(only("reversible.saga").getParentObservation()).isSameAs(request);
    }

    @Test
    void replacedConventionNamesTheObservation() throws Exception {
        SagaObservationConvention tenant = new DefaultSagaObservationConvention() {
            @Override
            public io.micrometer.common.KeyValues getLowCardinalityKeyValues(SagaObservationContext context) {
                return super.getLowCardinalityKeyValues(context).and("tenant", "acme");
            }
        };
        SagaExecutor custom = SagaExecutor.builder().listener(new SagaObservationListener(registry, tenant, null, null)).build();
        custom.execute(saga("order", step("reserve")));
        assertThat(only("reversible.saga").getLowCardinalityKeyValue("tenant").getValue()).isEqualTo("acme");
    }

    private Observation.Context only(String name) {
        List<Observation.Context> contexts = all(name);
        assertThat(contexts).hasSize(1);
        return contexts.get(0);
    }

    private List<Observation.Context> all(String name) {
        return started.stream().filter(context -> name.equals(context.getName())).toList();
    }

    private static Observation.Context step(String action, List<Observation.Context> steps) {
        return steps.stream().filter(step -> step.getLowCardinalityKeyValue("action").getValue().equals(action)).findFirst().orElseThrow();
    }

    @SafeVarargs
    static CompositeAction<String> saga(String name, Action<String>... steps) {
        return Reversible.<String>gen(scope -> {
            for (Action<String> step : steps) {
                scope.run(step);
            }
            return name;
        }).named(name);
    }

    static Action<String> step(String name) {
        return Reversible.action(context -> name, context -> {
        }).named(name);
    }

    static Action<String> failing(String name) {
        return Reversible.<String>action(context -> {
            throw new IllegalStateException("declined");
        }, context -> {
        }).named(name);
    }

    static Action<String> irreversible(String name) {
        return Reversible.action(context -> name, context -> {
            throw new IllegalStateException("cannot undo " + name);
        }).named(name);
    }
}
