package dev.reversible.spring.autoconfigure;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.reversible.core.SagaInfo;
import dev.reversible.core.SagaListener;
import dev.reversible.core.StepInfo;
import dev.reversible.spring.annotation.Compensate;
import dev.reversible.spring.annotation.ReversibleAction;
import dev.reversible.spring.annotation.ReversibleSaga;
import dev.reversible.spring.metrics.ReversibleMetrics;
import dev.reversible.spring.statistics.SagaStatistics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.longThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

/**
 * Tests for {@link ReversibleMetricsAutoConfiguration}: meters when a {@link MeterRegistry} is present,
 * nothing without one or without Micrometer.
 */
@ExtendWith(OutputCaptureExtension.class)
class ReversibleMetricsAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ReversibleAutoConfiguration.class, ReversibleObservationAutoConfiguration.class,
                    ReversibleMetricsAutoConfiguration.class, MetricsAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
                    ObservationAutoConfiguration.class));

    @Test
    void runWithMeterRegistryShouldCreateMetricsAndBindThemToTheRegistry() {
        this.contextRunner.run(context -> {
            assertThat(context).hasSingleBean(ReversibleMetrics.class);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry).isInstanceOf(SimpleMeterRegistry.class);
            assertThat(registry.find(ReversibleMetrics.ACTIVE).longTaskTimers()).isEmpty();
        });
    }

    @Test
    void runShouldRegisterTheMetersOfEverySagaAndActionBeforeTheirFirstRun() {
        this.contextRunner.withUserConfiguration(ShopConfiguration.class).run(context -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.get(ReversibleMetrics.SAGA).tags("saga", "Shop.order").timers())
                    .extracting(timer -> timer.getId().getTag("outcome"))
                    .containsExactlyInAnyOrder("completed", "compensated", "compensation_failed", "failed");
            assertThat(registry.get(ReversibleMetrics.STEP).tags("action", "reserve").timers())
                    .extracting(timer -> timer.getId().getTag("outcome")).containsExactlyInAnyOrder("completed", "failed");
            assertThat(registry.get(ReversibleMetrics.COMPENSATION).tags("action", "reserve").timers())
                    .extracting(timer -> timer.getId().getTag("outcome")).containsExactlyInAnyOrder("compensated", "failed", "undone_by_transaction");
            assertThat(registry.get(ReversibleMetrics.SAGA).timers()).allSatisfy(timer -> assertThat(timer.count()).isZero());
            assertThat(registry.get(ReversibleMetrics.ACTIVE).tags("saga", "Shop.order").longTaskTimer().activeTasks()).isZero();
        });
    }

    @Test
    void runShouldCountAnnotatedSagasInTheRegistry() {
        this.contextRunner.withUserConfiguration(ShopConfiguration.class).run(context -> {
            Shop shop = context.getBean(Shop.class);
            shop.order(false);
            shop.order(false);
            assertThatIllegalStateException().isThrownBy(() -> shop.order(true));
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.get(ReversibleMetrics.SAGA).tags("saga", "Shop.order", "outcome", "completed").timer().count())
                    .isEqualTo(2);
            assertThat(registry.get(ReversibleMetrics.SAGA).tags("saga", "Shop.order", "outcome", "compensated", "error", "IllegalStateException").timer()
                    .count()).isEqualTo(1);
            assertThat(registry.get(ReversibleMetrics.STEP).tags("action", "reserve", "outcome", "completed").timer().count())
                    .isEqualTo(3);
            assertThat(registry.get(ReversibleMetrics.COMPENSATION).tags("action", "reserve", "outcome", "compensated").timer()
                    .getId().getTags()).containsExactlyInAnyOrder(Tag.of("action", "reserve"), Tag.of("outcome", "compensated"),
                            Tag.of("error", "none"));
            assertThat(registry.get(ReversibleMetrics.COMPENSATION).tags("action", "reserve", "outcome", "compensated").timer()
                    .count()).isEqualTo(1);
            // The endpoint's statistics are fed by the same events.
            assertThat(context.getBean(SagaStatistics.class).findSaga("Shop.order").completed()).isEqualTo(2);
        });
    }

    @Test
    void runShouldNotCreateApplicationBeansWhilePostProcessorsAreRegistered(CapturedOutput output) {
        // MeterRegistryPostProcessor is created after the auto-proxy creator, which then builds the advisors:
        // the advisor must not pull ordinary beans (such as the properties) in at that point.
        this.contextRunner.withUserConfiguration(ShopConfiguration.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(output).doesNotContain("is not eligible for getting processed by all BeanPostProcessors");
        });
    }

    @Test
    void theStartersListenersLetStepsRunWithoutReadingTheClockWhileTheStepTimersStillTimeThem() {
        this.contextRunner.withUserConfiguration(ShopConfiguration.class, StepDurationsConfiguration.class).run(context -> {
            Shop shop = context.getBean(Shop.class);
            shop.order(false);
            assertThatIllegalStateException().isThrownBy(() -> shop.order(true));

            // This listener reads no step durations either: a step is timed only if some listener does, so what it
            // hears is what the starter's own listeners made the executor measure — nothing.
            assertThat(context.getBean(StepDurations.class).nanos).containsExactly(0L, 0L);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.get(ReversibleMetrics.STEP).tags("action", "reserve", "outcome", "completed").timer()
                    .totalTime(TimeUnit.NANOSECONDS)).isPositive();
            assertThat(context.getBeansOfType(SagaListener.class)).as("statistics, logging, MDC, observations and this one")
                    .hasSize(5);
        });
    }

    @Test
    void aMockedListenerHearsEveryStepEventWithTheStepsDuration() {
        SagaListener mocked = mock(SagaListener.class);
        this.contextRunner.withUserConfiguration(ShopConfiguration.class).withBean(SagaListener.class, () -> mocked).run(context -> {
            context.getBean(Shop.class).order(false);

            // A mock answers false to ignoresStepDurations, and overrides nothing the executor could look for: it is
            // told of every step event, with a real duration.
            verify(mocked).stepStarted(any(SagaInfo.class), any(StepInfo.class));
            verify(mocked).stepCompleted(any(SagaInfo.class), any(StepInfo.class), longThat(nanos -> nanos > 0));
            verify(mocked).sagaCompleted(any(SagaInfo.class), longThat(nanos -> nanos > 0));
        });
    }

    @Test
    void runWithoutMeterRegistryShouldNotCreateMetrics() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ReversibleAutoConfiguration.class, ReversibleMetricsAutoConfiguration.class))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).hasSingleBean(SagaStatistics.class);
                    assertThat(context).doesNotHaveBean(MeterRegistry.class);
                    assertThat(context).doesNotHaveBean(ReversibleMetrics.class);
                });
    }

    @Test
    void runWithoutMicrometerShouldNotCreateMetrics() {
        this.contextRunner.withClassLoader(new FilteredClassLoader("io.micrometer.core")).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(SagaStatistics.class);
            assertThat(context).doesNotHaveBean(ReversibleMetrics.class);
        });
    }

    @Test
    void runWhenDisabledShouldNotCreateMetrics() {
        this.contextRunner.withPropertyValues("reversible.enabled=false").run(context -> {
            assertThat(context).hasSingleBean(MeterRegistry.class);
            assertThat(context).doesNotHaveBean(ReversibleMetrics.class);
            assertThat(context.getBean(MeterRegistry.class).find(ReversibleMetrics.ACTIVE).meter()).isNull();
        });
    }

    @Test
    void runWhenUserDefinesReversibleMetricsShouldBackOff() {
        this.contextRunner.withUserConfiguration(UserMetricsConfiguration.class).run(context -> {
            assertThat(context).hasSingleBean(ReversibleMetrics.class);
            assertThat(context.getBean(ReversibleMetrics.class)).isSameAs(context.getBean("userMetrics"));
        });
    }

    static class Inventory {

        @ReversibleAction
        public String reserve(String sku) {
            return sku;
        }

        @Compensate("reserve")
        public void release(String sku) {
        }
    }

    static class Shop {

        private final Inventory inventory;

        Shop(Inventory inventory) {
            this.inventory = inventory;
        }

        @ReversibleSaga
        public void order(boolean fail) {
            inventory.reserve("sku");
            if (fail) {
                throw new IllegalStateException("out of luck");
            }
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ShopConfiguration {

        @Bean
        Inventory inventory() {
            return new Inventory();
        }

        @Bean
        Shop shop(Inventory inventory) {
            return new Shop(inventory);
        }
    }

    /** Hears every step's end, and says it reads no durations. */
    static class StepDurations implements SagaListener {

        final List<Long> nanos = new CopyOnWriteArrayList<>();

        @Override
        public void stepCompleted(SagaInfo saga, String step, long nanos) {
            this.nanos.add(nanos);
        }

        @Override
        public void stepFailed(SagaInfo saga, String step, long nanos, Throwable failure) {
            this.nanos.add(nanos);
        }

        @Override
        public boolean ignoresStepDurations() {
            return true;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class StepDurationsConfiguration {

        @Bean
        StepDurations stepDurations() {
            return new StepDurations();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserMetricsConfiguration {

        @Bean
        ReversibleMetrics userMetrics(SagaStatistics statistics) {
            return new ReversibleMetrics(statistics);
        }
    }
}
