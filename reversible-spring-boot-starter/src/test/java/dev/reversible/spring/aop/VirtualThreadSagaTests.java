package dev.reversible.spring.aop;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.reversible.spring.annotation.Compensate;
import dev.reversible.spring.annotation.ReversibleAction;
import dev.reversible.spring.annotation.ReversibleSaga;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.support.ContextPropagatingTaskDecorator;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * With {@code spring.threads.virtual.enabled=true} (JDK 21+), Boot's task executor runs {@code @Async} calls
 * on virtual threads: an asynchronous action still takes its place in the saga, and the steps it starts on
 * its virtual thread — carried there by the context-propagating decorator — are its children. Runs only
 * on JDK 21 or later ({@code .ci/compat} runs the starter's tests a second time on JDK 25 when one is installed).
 */
@EnabledForJreRange(min = JRE.JAVA_21)
class VirtualThreadSagaTests {

    private final ApplicationContextRunner runner = SagaContexts.runner()
            .withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class))
            .withPropertyValues("spring.threads.virtual.enabled=true")
            .withUserConfiguration(Config.class);

    @Test
    void asyncActionOnAVirtualThreadJoinsTheSagaWithItsChildrenAndIsUndoneWithIt() {
        runner.run(context -> {
            Calls calls = context.getBean(Calls.class);

            Throwable thrown = catchThrowable(() -> context.getBean(Trip.class).plan("v1"));

            assertThat(thrown).isInstanceOf(IllegalStateException.class).hasMessage("trip refused");
            assertThat(calls.list).containsExactly("book v1", "seat v1", "unseat v1", "unbook v1");
            assertThat(calls.virtual.get("book v1")).isTrue();
            assertThat(calls.virtual.get("seat v1")).isTrue();
        });
    }

    /** What ran, in order, and whether on a virtual thread. */
    static class Calls {

        final List<String> list = new CopyOnWriteArrayList<>();
        final Map<String, Boolean> virtual = new ConcurrentHashMap<>();

        void add(String call) {
            list.add(call);
            virtual.put(call, isVirtual(Thread.currentThread()));
        }

        /** {@code Thread.isVirtual()} exists from JDK 21 on; the test sources compile for 17. */
        private static boolean isVirtual(Thread thread) {
            try {
                return (Boolean) Thread.class.getMethod("isVirtual").invoke(thread);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static class Airline {

        private final Calls calls;
        private final Seats seats;

        Airline(Calls calls, Seats seats) {
            this.calls = calls;
            this.seats = seats;
        }

        @Async
        @ReversibleAction
        public CompletableFuture<String> book(String trip) {
            calls.add("book " + trip);
            seats.seat(trip);
            return CompletableFuture.completedFuture("F-" + trip);
        }

        @Compensate("book")
        public void unbook(String trip, String flight) {
            calls.add("unbook " + trip);
        }
    }

    static class Seats {

        private final Calls calls;

        Seats(Calls calls) {
            this.calls = calls;
        }

        @ReversibleAction
        public void seat(String trip) {
            calls.add("seat " + trip);
        }

        @Compensate("seat")
        public void unseat(String trip) {
            calls.add("unseat " + trip);
        }
    }

    static class Trip {

        private final Airline airline;

        Trip(Airline airline) {
            this.airline = airline;
        }

        @ReversibleSaga
        public void plan(String trip) {
            airline.book(trip).join();
            throw new IllegalStateException("trip refused");
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAsync
    static class Config {

        @Bean
        ContextPropagatingTaskDecorator contextPropagatingTaskDecorator() {
            return new ContextPropagatingTaskDecorator();
        }

        @Bean
        Calls calls() {
            return new Calls();
        }

        @Bean
        Seats seats(Calls calls) {
            return new Seats(calls);
        }

        @Bean
        Airline airline(Calls calls, Seats seats) {
            return new Airline(calls, seats);
        }

        @Bean
        Trip trip(Airline airline) {
            return new Trip(airline);
        }
    }
}
