package dev.reversible.spring.jdbc;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import dev.reversible.spring.autoconfigure.ReversibleHealthAutoConfiguration;
import dev.reversible.spring.health.ReversibleHealthIndicator;
import dev.reversible.spring.metrics.StuckSagaGauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The health contributor {@code reversible} and the gauge {@code reversible.saga.stuck}: the stuck count and
 * the oldest one's age (application clock), {@code UP} by default even with stuck sagas, another status
 * when mapped, still reporting when the journal is unreachable; both read through a short cache that an
 * operator's action refreshes.
 */
class ReversibleHealthIndicatorTests {

    private final String url = JournalTestApp.newDatabaseUrl();
    private final MutableClock clock = new MutableClock();

    @BeforeEach
    void reset() {
        JournalTestApp.reset();
    }

    private ApplicationContextRunner runner() {
        return JournalTestApp.runner(url).withConfiguration(AutoConfigurations.of(ReversibleHealthAutoConfiguration.class))
                .withUserConfiguration(JournalTestApp.Shop.class).withBean(Clock.class, () -> clock)
                .withPropertyValues("reversible.jdbc.retry.max-attempts=0", "reversible.jdbc.heartbeat-interval=1h",
                        "reversible.jdbc.instance-timeout=2h");
    }

    @Test
    void healthIsUpWithTheStuckCountAndTheOldestOnesAgeEvenWithStuckSagas() {
        runner().run(context -> {
            assertThat(context).hasBean("reversibleHealthIndicator");
            assertThat(health(context).getStatus()).isEqualTo(Status.UP);
            assertThat(health(context).getDetails()).containsEntry("stuck", 0L).containsEntry("oldestStuck", null)
                    .containsEntry("journal", "reachable");

            StuckSagaApps.stuckOrder(context);
            clock.advance(Duration.ofMinutes(30));
            StuckSagaApps.stuckOrder(context);
            clock.advance(Duration.ofMinutes(12));
            context.getBean(StuckSagaCount.class).refresh();

            Health health = health(context);
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsExactlyInAnyOrderEntriesOf(
                    mapOf("stuck", 2L, "oldestStuck", "PT42M", "journal", "reachable", "unrecoverable", 0L));
        });
    }

    @Test
    void stuckStatusMapsAtLeastOneStuckSagaToTheConfiguredStatus() {
        runner().withPropertyValues("reversible.jdbc.health.stuck-status=OUT_OF_SERVICE").run(context -> {
            assertThat(health(context).getStatus()).as("none stuck").isEqualTo(Status.UP);

            String id = StuckSagaApps.stuckOrder(context);
            context.getBean(StuckSagaCount.class).refresh();
            assertThat(health(context).getStatus()).isEqualTo(Status.OUT_OF_SERVICE);

            context.getBean(SagaOperations.class).resolve(id, "done by hand");
            assertThat(health(context).getStatus()).as("the operator's action refreshed the count").isEqualTo(Status.UP);
        });
        runner().withPropertyValues("reversible.jdbc.health.stuck-status=STUCK_SAGAS").run(context -> {
            StuckSagaApps.stuckOrder(context);
            context.getBean(StuckSagaCount.class).refresh();
            assertThat(health(context).getStatus()).isEqualTo(new Status("STUCK_SAGAS"));
        });
    }

    @Test
    void unreachableJournalIsReportedWithTheLastCountAndTheMappedStatus() {
        runner().withPropertyValues("reversible.jdbc.health.stuck-status=DOWN").run(context -> {
            StuckSagaApps.stuckOrder(context);
            context.getBean(StuckSagaCount.class).refresh();
            assertThat(health(context).getDetails()).containsEntry("stuck", 1L);
            JournalTestApp.jdbc(context).sql("DROP TABLE reversible_steps").update();
            JournalTestApp.jdbc(context).sql("DROP TABLE reversible_sagas").update();
            context.getBean(StuckSagaCount.class).refresh();

            Health health = health(context);

            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails()).containsEntry("stuck", 1L).containsEntry("journal", "unreachable").containsKey("error");
        });
    }

    @Test
    void healthCanBeSwitchedOffLikeAnyOtherContributor() {
        runner().withPropertyValues("management.health.reversible.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(ReversibleHealthIndicator.class));
    }

    @Test
    void gaugeCountsTheStuckSagasThroughTheCache() {
        runner().run(context -> {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            context.getBean(StuckSagaGauge.class).bindTo(registry);
            assertThat(registry.get("reversible.saga.stuck").gauge().value()).isZero();

            String first = StuckSagaApps.stuckOrder(context);
            StuckSagaApps.stuckOrder(context);
            assertThat(registry.get("reversible.saga.stuck").gauge().value()).as("cached for a heartbeat interval").isZero();
            context.getBean(StuckSagaCount.class).refresh();
            assertThat(registry.get("reversible.saga.stuck").gauge().value()).isEqualTo(2.0);

            context.getBean(SagaOperations.class).retry(first);
            assertThat(registry.get("reversible.saga.stuck").gauge().value()).isEqualTo(1.0);
        });
    }

    private static Health health(ApplicationContext context) {
        return context.getBean("reversibleHealthIndicator", ReversibleHealthIndicator.class).health();
    }

    private static Map<String, Object> mapOf(Object... keysAndValues) {
        Map<String, Object> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
