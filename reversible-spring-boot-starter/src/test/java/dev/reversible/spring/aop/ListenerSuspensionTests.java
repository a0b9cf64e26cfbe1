package dev.reversible.spring.aop;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.reversible.core.SagaInfo;
import dev.reversible.core.SagaListener;
import dev.reversible.spring.annotation.Compensate;
import dev.reversible.spring.annotation.ReversibleAction;
import dev.reversible.spring.annotation.ReversibleSaga;
import dev.reversible.spring.autoconfigure.SagaExecutorCustomizer;
import dev.reversible.spring.logging.SagaLoggingListener;
import dev.reversible.spring.statistics.SagaStatistics;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * An application's listener that calls an annotated bean observes the saga; it never becomes part of it —
 * however the listener was added: a bean, a customizer, a subclass of the starter's logging listener.
 */
class ListenerSuspensionTests {

    private final ApplicationContextRunner runner = SagaContexts.runner().withUserConfiguration(Config.class);
    private final ApplicationContextRunner withoutListenerBean = SagaContexts.runner().withUserConfiguration(Beans.class);

    @Test
    void actionCalledByAListenerIsASagaOfItsOwnNotAStepOfTheObservedSaga() {
        runner.run(context -> {
            List<String> calls = context.getBean("calls", List.class);
            IllegalStateException failure = new IllegalStateException("saga fails");

            Throwable thrown = catchThrowable(() -> context.getBean(Orders.class).place(failure));

            assertThat(thrown).isSameAs(failure);
            assertThat(calls).containsExactly("reserve", "audit reserve", "release");
            SagaStatistics statistics = context.getBean(SagaStatistics.class);
            assertThat(statistics.findSaga("audit").completed()).isEqualTo(1);
            assertThat(statistics.findSaga("Orders.place").compensated()).isEqualTo(1);
            assertThat(statistics.recentRollbacks()).singleElement().satisfies(r -> assertThat(r.compensated()).containsExactly("reserve"));
        });
    }

    @Test
    void listenerAddedThroughACustomizerCallingAnAnnotatedBeanIsNeverPartOfTheObservedSaga() {
        withoutListenerBean.withBean(SagaExecutorCustomizer.class, () -> builder -> builder.listener(new SagaListener() {
            @Override
            public void sagaStarted(SagaInfo saga) {
                if (saga.name().equals("Orders.place")) {
                    auditor.get().audit("started");
                }
            }
        })).run(context -> {
            auditor.set(context.getBean(Auditor.class));
            List<String> calls = context.getBean("calls", List.class);
            IllegalStateException failure = new IllegalStateException("saga fails");

            assertThat(catchThrowable(() -> context.getBean(Orders.class).place(failure))).isSameAs(failure);

            assertThat(calls).containsExactly("audit started", "reserve", "release");
            assertThat(context.getBean(SagaStatistics.class).findSaga("audit").completed()).isEqualTo(1);
        });
    }

    @Test
    void subclassOfTheLoggingListenerCallingAnAnnotatedBeanIsNeverPartOfTheObservedSaga() {
        withoutListenerBean.withBean(SagaLoggingListener.class, () -> new SagaLoggingListener() {
            @Override
            public void stepCompleted(SagaInfo saga, String step, long nanos) {
                if (step.equals("reserve")) {
                    auditor.get().audit(step);
                }
            }
        }).run(context -> {
            auditor.set(context.getBean(Auditor.class));
            List<String> calls = context.getBean("calls", List.class);
            IllegalStateException failure = new IllegalStateException("saga fails");

            assertThat(catchThrowable(() -> context.getBean(Orders.class).place(failure))).isSameAs(failure);

            assertThat(calls).containsExactly("reserve", "audit reserve", "release");
            assertThat(context.getBean(SagaStatistics.class).findSaga("Orders.place").compensated()).isEqualTo(1);
            assertThat(context.getBean(SagaStatistics.class).recentRollbacks()).singleElement()
                    .satisfies(r -> assertThat(r.compensated()).containsExactly("reserve"));
        });
    }

    private final java.util.concurrent.atomic.AtomicReference<Auditor> auditor = new java.util.concurrent.atomic.AtomicReference<>();

    static class Inventory {
        private final List<String> calls;

        Inventory(List<String> calls) {
            this.calls = calls;
        }

        @ReversibleAction
        public void reserve() {
            calls.add("reserve");
        }

        @Compensate("reserve")
        public void release() {
            calls.add("release");
        }
    }

    static class Auditor {
        private final List<String> calls;

        Auditor(List<String> calls) {
            this.calls = calls;
        }

        @ReversibleAction
        public void audit(String step) {
            calls.add("audit " + step);
        }

        @Compensate("audit")
        public void unaudit(String step) {
            calls.add("unaudit " + step);
        }
    }

    static class Orders {
        private final Inventory inventory;

        Orders(Inventory inventory) {
            this.inventory = inventory;
        }

        @ReversibleSaga
        public void place(RuntimeException failure) {
            inventory.reserve();
            throw failure;
        }
    }

    /** The beans without any listener bean: a test adds its listener another way. */
    @Configuration(proxyBeanMethods = false)
    static class Beans {
        @Bean
        List<String> calls() {
            return new CopyOnWriteArrayList<>();
        }

        @Bean
        Inventory inventory(List<String> calls) {
            return new Inventory(calls);
        }

        @Bean
        Auditor auditor(List<String> calls) {
            return new Auditor(calls);
        }

        @Bean
        Orders orders(Inventory inventory) {
            return new Orders(inventory);
        }
    }

    /** The same beans, with a listener bean that calls an annotated bean. */
    @Configuration(proxyBeanMethods = false)
    @Import(Beans.class)
    static class Config {

        @Bean
        SagaListener auditingListener(ObjectProvider<Auditor> auditor) {
            return new SagaListener() {
                @Override
                public void stepCompleted(SagaInfo saga, String step, long nanos) {
                    if (!step.equals("audit")) {
                        auditor.getObject().audit(step);
                    }
                }
            };
        }
    }
}
