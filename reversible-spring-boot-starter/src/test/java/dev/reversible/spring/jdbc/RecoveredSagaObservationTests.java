package dev.reversible.spring.jdbc;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.reversible.jdbc.InstanceRegistry;
import dev.reversible.jdbc.JournalInstance;
import dev.reversible.spring.autoconfigure.ReversibleObservationAutoConfiguration;
import dev.reversible.spring.jdbc.JournalTestApp.Orders;
import dev.reversible.spring.jdbc.JournalTestApp.Payments;
import dev.reversible.spring.jdbc.JournalTestApp.Shipping;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A saga compensated by recovery is observed like a saga rolled back live: one {@code reversible.saga}
 * observation, with the recovery's failure ({@link SagaRecoveredException}) as its error and the outcome
 * {@code compensated} or {@code compensation_failed}, and one {@code reversible.compensation} per step undone,
 * each a child of the saga's observation — although recovery runs on the journal's scheduler thread, where
 * no saga body runs and no step was started.
 */
class RecoveredSagaObservationTests {

    /** The crashing instance: no observations, no heartbeat or recovery after start-up within a test. */
    private ApplicationContextRunner instanceA;

    /** The survivor: recovers every 50ms, with a recording observation registry. */
    private ApplicationContextRunner instanceB;

    private final TestObservationRegistry registry = TestObservationRegistry.create();

    /** Every observation stopped in instance B, in order of stop. */
    private final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        JournalTestApp.reset();
        registry.observationConfig().observationHandler(new ObservationHandler<>() {
            @Override
            public void onStop(Observation.Context context) {
                stopped.add(context);
            }

            @Override
            public boolean supportsContext(Observation.Context context) {
                return true;
            }
        });
        String database = "spring.datasource.url=" + JournalTestApp.newDatabaseUrl();
        instanceA = JournalTestApp.runnerWith(database).withUserConfiguration(JournalTestApp.Shop.class)
                .withPropertyValues("reversible.jdbc.heartbeat-interval=1h", "reversible.jdbc.instance-timeout=2h");
        instanceB = JournalTestApp.runnerWith(database).withUserConfiguration(JournalTestApp.Shop.class)
                .withConfiguration(AutoConfigurations.of(ReversibleObservationAutoConfiguration.class))
                .withBean(ObservationRegistry.class, () -> registry)
                .withPropertyValues("reversible.jdbc.heartbeat-interval=50ms", "reversible.jdbc.instance-timeout=10s",
                        "reversible.jdbc.instance-name=survivor",
                        // A failed recovery is not retried within the test: one saga observation per recovery.
                        "reversible.jdbc.retry.initial=5m");
    }

    @Test
    void recoveredSagaIsOneCompensatedSagaObservationWithItsCompensationsAsChildren() {
        instanceA.run(a -> {
            Thread running = crashDuringShip(a);

            instanceB.run(b -> {
                Observation.Context saga = awaitSagaObservation();

                assertThat(saga.getName()).isEqualTo("reversible.saga");
                assertThat(saga.getContextualName()).isEqualTo("saga Orders.place");
                assertThat(saga.getLowCardinalityKeyValue("saga").getValue()).isEqualTo("Orders.place");
                assertThat(saga.getLowCardinalityKeyValue("outcome").getValue()).isEqualTo("compensated");
                assertThat(saga.getHighCardinalityKeyValue("saga.id").getValue()).isEqualTo(sagaId(b));
                assertThat(saga.getError()).isInstanceOf(SagaRecoveredException.class);
                assertThat(saga.getParentObservation()).isNull();
                List<Observation.Context> compensations = compensations();
                // Reverse order of start; the step whose outcome is unknown (ship) first.
                assertThat(compensations).extracting(c -> c.getLowCardinalityKeyValue("action").getValue() + ":"
                        + c.getLowCardinalityKeyValue("outcome").getValue())
                        .containsExactly("ship:compensated", "charge:compensated", "reserve:compensated");
                assertThat(compensations).allSatisfy(c -> {
                    assertThat(c.getParentObservation()).isNotNull();
                    assertThat(c.getParentObservation().getContextView()).isSameAs(saga);
                    assertThat(c.getHighCardinalityKeyValue("saga.id").getValue()).isEqualTo(sagaId(b));
                    assertThat(c.getHighCardinalityKeyValue("compensation.attempts").getValue()).isEqualTo("1");
                });
                // Recovery starts no step: the steps ran, and were observed, in the instance that crashed.
                assertThat(stopped).extracting(Observation.Context::getName).doesNotContain("reversible.step");
                assertThat(stopped).hasSize(4);
                assertThat(registry.getCurrentObservation()).isNull();
            });
            Shipping.hold.countDown();
            running.join();
        });
    }

    @Test
    void recoveredSagaWhoseCompensationFailsIsACompensationFailedSagaObservation() {
        Payments.failingRefunds.set(1);
        instanceA.run(a -> {
            Thread running = crashDuringShip(a);

            instanceB.run(b -> {
                Observation.Context saga = awaitSagaObservation();

                assertThat(saga.getLowCardinalityKeyValue("outcome").getValue()).isEqualTo("compensation_failed");
                assertThat(saga.getError()).isInstanceOf(SagaRecoveredException.class);
                List<Observation.Context> compensations = compensations();
                // Recovery stops at the first failure: reserve is left for the persistent retry.
                assertThat(compensations).extracting(c -> c.getLowCardinalityKeyValue("action").getValue() + ":"
                        + c.getLowCardinalityKeyValue("outcome").getValue())
                        .containsExactly("ship:compensated", "charge:failed");
                assertThat(compensations.get(1).getError()).isInstanceOf(IllegalStateException.class).hasMessage("payment provider down");
                assertThat(compensations).allSatisfy(c -> assertThat(c.getParentObservation().getContextView()).isSameAs(saga));
            });
            Shipping.hold.countDown();
            running.join();
        });
    }

    /** @return the saga observation, once recovery has stopped it (it stops last, after its compensations) */
    private Observation.Context awaitSagaObservation() {
        await().atMost(Duration.ofSeconds(10)).until(() -> stopped.stream().anyMatch(c -> c.getName().equals("reversible.saga")));
        List<Observation.Context> sagas = stopped.stream().filter(c -> c.getName().equals("reversible.saga")).toList();
        assertThat(sagas).hasSize(1);
        assertThat(stopped.get(stopped.size() - 1)).isSameAs(sagas.get(0));
        return sagas.get(0);
    }

    private List<Observation.Context> compensations() {
        return stopped.stream().filter(c -> c.getName().equals("reversible.compensation")).toList();
    }

    private static String sagaId(ConfigurableApplicationContext context) {
        return JournalTestApp.jdbc(context).sql("SELECT id FROM reversible_sagas").query(String.class).single();
    }

    /** Runs the saga on another thread until ship holds, then makes instance A look dead: its row is gone. */
    private static Thread crashDuringShip(ConfigurableApplicationContext a) throws InterruptedException {
        Shipping.hold = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread running = new Thread(() -> {
            try {
                a.getBean(Orders.class).place("sku-1");
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "instance-a-saga");
        running.start();
        assertThat(Shipping.holding.await(10, TimeUnit.SECONDS)).isTrue();
        a.getBean(InstanceRegistry.class).gone(a.getBean(JournalInstance.class));
        return running;
    }
}
