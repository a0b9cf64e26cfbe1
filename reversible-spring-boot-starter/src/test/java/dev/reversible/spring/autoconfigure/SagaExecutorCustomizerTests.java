package dev.reversible.spring.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import dev.reversible.core.Reversible;
import dev.reversible.core.RollbackPolicy;
import dev.reversible.core.SagaExecutor;
import dev.reversible.core.SagaInfo;
import dev.reversible.core.SagaListener;
import dev.reversible.spring.statistics.SagaStatistics;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.annotation.Order;

import static org.assertj.core.api.Assertions.assertThat;

class SagaExecutorCustomizerTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ReversibleAutoConfiguration.class));

    @Test
    void customizersChangeTheAutoConfiguredExecutorInOrderAndKeepTheStatisticsListening() {
        List<String> events = new ArrayList<>();
        this.contextRunner
                .withPropertyValues("reversible.rollback-policy=abort")
                .withBean("second", SagaExecutorCustomizer.class, () -> new Second(events))
                .withBean("first", SagaExecutorCustomizer.class, () -> new First())
                .run(context -> {
                    SagaExecutor executor = context.getBean(SagaExecutor.class);
                    assertThat(executor.rollbackPolicy()).isEqualTo(RollbackPolicy.CONTINUE);
                    executor.execute(Reversible.action(c -> 1, c -> { }).named("one"));
                    assertThat(events).containsExactly("completed one");
                    assertThat(context.getBean(SagaStatistics.class).totals().completed()).isEqualTo(1);
                });
    }

    @Order(1)
    static class First implements SagaExecutorCustomizer {
        @Override
        public void customize(SagaExecutor.Builder builder) {
            builder.rollbackPolicy(RollbackPolicy.CONTINUE);
        }
    }

    @Order(2)
    record Second(List<String> events) implements SagaExecutorCustomizer {
        @Override
        public void customize(SagaExecutor.Builder builder) {
            builder.listener(new SagaListener() {
                @Override
                public void sagaCompleted(SagaInfo saga, long nanos) {
                    events.add("completed " + saga.name());
                }
            });
        }
    }
}
