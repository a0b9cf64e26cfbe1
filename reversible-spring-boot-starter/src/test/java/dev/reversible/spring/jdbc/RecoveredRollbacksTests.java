package dev.reversible.spring.jdbc;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.reversible.jdbc.InstanceRegistry;
import dev.reversible.jdbc.JournalInstance;
import dev.reversible.spring.actuate.endpoint.ReversibleEndpoint;
import dev.reversible.spring.autoconfigure.ReversibleEndpointAutoConfiguration;
import dev.reversible.spring.jdbc.JournalTestApp.Orders;
import dev.reversible.spring.jdbc.JournalTestApp.Shipping;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * The {@code reversible} endpoint's {@code recentRollbacks[]} tell a saga recovered from the journal
 * ({@code "recovered": true}) from one rolled back by its own failure ({@code false}); every other field of an
 * entry stays as it was.
 */
class RecoveredRollbacksTests {

    private final JsonMapper json = JsonMapper.builder().build();
    private ApplicationContextRunner instanceA;
    private ApplicationContextRunner instanceB;

    @BeforeEach
    void setUp() {
        JournalTestApp.reset();
        ApplicationContextRunner runner = JournalTestApp.runner(JournalTestApp.newDatabaseUrl())
                .withConfiguration(AutoConfigurations.of(ReversibleEndpointAutoConfiguration.class))
                .withPropertyValues("management.endpoints.web.exposure.include=reversible")
                .withUserConfiguration(JournalTestApp.Shop.class);
        instanceA = runner.withPropertyValues("reversible.jdbc.heartbeat-interval=1h", "reversible.jdbc.instance-timeout=2h");
        instanceB = runner.withPropertyValues("reversible.jdbc.heartbeat-interval=50ms", "reversible.jdbc.instance-timeout=10s");
    }

    @Test
    void recoveredSagaIsMarkedRecoveredAndALiveRollbackIsNot() {
        instanceA.run(a -> {
            Shipping.hold = new CountDownLatch(1);
            Thread running = new Thread(() -> catchThrowable(() -> a.getBean(Orders.class).place("sku-1")), "instance-a-saga");
            running.start();
            assertThat(Shipping.holding.await(10, TimeUnit.SECONDS)).isTrue();
            a.getBean(InstanceRegistry.class).gone(a.getBean(JournalInstance.class));
            CountDownLatch held = Shipping.hold;
            Shipping.hold = null;   // B's own saga must not wait on A's latch

            instanceB.run(b -> {
                await().atMost(Duration.ofSeconds(10)).until(() -> rollbacks(b).size() == 1);
                Shipping.failure = new IllegalStateException("no courier");
                catchThrowable(() -> b.getBean(Orders.class).place("sku-2"));

                JsonNode rollbacks = rollbacks(b);
                assertThat(rollbacks).hasSize(2);
                JsonNode live = rollbacks.get(0);
                JsonNode recovered = rollbacks.get(1);
                assertThat(live.get("recovered").asBoolean()).isFalse();
                assertThat(live.get("exceptionClass").asString()).isEqualTo(IllegalStateException.class.getName());
                assertThat(recovered.get("recovered").asBoolean()).isTrue();
                assertThat(recovered.get("sagaName").asString()).isEqualTo("Orders.place");
                assertThat(recovered.get("exceptionClass").asString()).isEqualTo(SagaRecoveredException.class.getName());
                assertThat(recovered.get("compensated")).extracting(JsonNode::asString).containsExactly("ship", "charge", "reserve");
                assertThat(recovered.propertyNames()).containsExactly("sagaName", "sagaId", "failedStep", "exceptionClass",
                        "exceptionMessage", "compensated", "failedCompensations", "pending", "undoneByTransaction", "timestamp", "recovered");
            });
            held.countDown();
            running.join();
        });
    }

    private JsonNode rollbacks(ApplicationContext context) {
        return json.valueToTree(context.getBean(ReversibleEndpoint.class).reversible()).get("recentRollbacks");
    }
}
