package dev.reversible.spring.aop;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.reversible.core.CompensationMode;
import dev.reversible.core.SagaTimeoutException;
import dev.reversible.core.StepTimeoutException;
import dev.reversible.spring.CompensationContext;
import dev.reversible.spring.annotation.Compensate;
import dev.reversible.spring.annotation.ReversibleAction;
import dev.reversible.spring.annotation.ReversibleSaga;
import dev.reversible.spring.metadata.ReversibleConfigurationException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * Time and concurrency through the annotations: an asynchronous action's timeout, a saga's deadline, parallel
 * compensation (rule 15), and the start-up check that refuses a timeout on a synchronous action.
 */
class TimeAndConcurrencyTests {

    static final List<String> CALLS = new CopyOnWriteArrayList<>();

    private final ApplicationContextRunner runner = SagaContexts.runner().withUserConfiguration(Config.class);

    @BeforeEach
    void reset() {
        CALLS.clear();
        Flights.pending = new CompletableFuture<>();
        Legs.allUndoing = new CountDownLatch(3);
    }

    @Test
    void anAsynchronousActionThatTimesOutIsCompensatedToldItTimedOutWithNoResultAndItsLateValueIsDropped() {
        runner.run(context -> {
            CompletableFuture<String> trip = context.getBean(Trips.class).fly("LH 400");

            await().atMost(java.time.Duration.ofSeconds(5)).until(trip::isDone);
            Throwable failure = catchThrowable(trip::join).getCause();

            assertThat(failure).isInstanceOf(StepTimeoutException.class)
                    .hasMessage("Step 'book' did not complete within PT0.1S; its outcome is unknown, so it is compensated");
            assertThat(CALLS).containsExactly("book LH 400", "cancel LH 400 timedOut=true result=null failure=StepTimeoutException");
            Flights.pending.complete("BOOKED-1");
            assertThat(CALLS).hasSize(2);
        });
    }

    @Test
    void pastASagasDeadlineNoFurtherStepStartsAndTheSagaRollsBack() {
        runner.run(context -> {
            Throwable thrown = catchThrowable(() -> context.getBean(Trips.class).holiday("LH 401"));

            assertThat(thrown).isInstanceOf(SagaTimeoutException.class)
                    .hasMessageStartingWith("Saga Trips.holiday (").hasMessageEndingWith("passed its deadline (timeout PT0.2S): no further step may start");
            assertThat(CALLS).containsExactly("hotel LH 401", "hold LH 401", "release LH 401 timedOut=true result=null",
                    "body saw StepTimeoutException", "unhotel LH 401");
        });
    }

    @Test
    void parallelCompensationUndoesTheLaterStepFirstThenTheOverlappingStepsTogetherThenTheEarlierOne() {
        runner.run(context -> {
            Throwable thrown = catchThrowable(() -> context.getBean(Trips.class).tour());

            assertThat(thrown).isInstanceOf(IllegalStateException.class).hasMessage("tour cancelled by the weather");
            assertThat(CALLS.subList(0, 5)).containsExactly("hotel first", "leg 0", "leg 1", "leg 2", "hotel last");
            assertThat(CALLS.get(5)).isEqualTo("unhotel last");
            assertThat(CALLS.subList(6, 9)).containsExactlyInAnyOrder("unleg 0 overlapped", "unleg 1 overlapped", "unleg 2 overlapped");
            assertThat(CALLS.subList(9, CALLS.size())).containsExactly("unhotel first");
        });
    }

    @Test
    void aTimeoutOnASynchronousActionStopsStartUpSayingWhy() {
        SagaContexts.runner().withBean(SyncWithTimeout.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(ReversibleConfigurationException.class)
                    .hasMessageContaining("method charge(String)")
                    .hasMessageContaining("@ReversibleAction 'charge' has timeout = \"2s\", but it is synchronous: a running thread "
                            + "cannot be stopped safely");
        });
    }

    @Test
    void aTimeoutThatIsNotADurationStopsStartUpSayingHowToWriteIt() {
        SagaContexts.runner().withBean(BadDeadline.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(ReversibleConfigurationException.class)
                    .hasMessageContaining("method run()")
                    .hasMessageEndingWith("@ReversibleSaga(timeout = \"soon\") is not a duration: write it as \"30s\", \"500ms\", \"2m\" or \"PT30S\"");
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class Config {

        @Bean
        Flights flights() {
            return new Flights();
        }

        @Bean
        Hotels hotels() {
            return new Hotels();
        }

        @Bean
        Legs legs() {
            return new Legs();
        }

        @Bean
        Trips trips(Flights flights, Hotels hotels, Legs legs) {
            return new Trips(flights, hotels, legs);
        }
    }

    public static class Flights {

        static volatile CompletableFuture<String> pending = new CompletableFuture<>();

        @ReversibleAction(timeout = "100ms")
        public CompletableFuture<String> book(String flight) {
            CALLS.add("book " + flight);
            return pending;
        }

        @Compensate("book")
        public void cancel(String flight, String booking, CompensationContext context) {
            CALLS.add("cancel " + flight + " timedOut=" + context.timedOut() + " result=" + booking + " failure="
                    + (context.failure() == null ? null : context.failure().getClass().getSimpleName()));
        }

        /** No timeout of its own: only a saga's deadline bounds it. */
        @ReversibleAction
        public CompletableFuture<String> hold(String flight) {
            CALLS.add("hold " + flight);
            return pending;
        }

        @Compensate("hold")
        public void release(String flight, String held, CompensationContext context) {
            CALLS.add("release " + flight + " timedOut=" + context.timedOut() + " result=" + held);
        }
    }

    public static class Hotels {

        @ReversibleAction
        public String hotel(String name) {
            CALLS.add("hotel " + name);
            return name;
        }

        @Compensate("hotel")
        public void unhotel(String name) {
            CALLS.add("unhotel " + name);
        }
    }

    /** Legs whose compensations block until all three have started: they pass only when run concurrently. */
    public static class Legs {

        static volatile CountDownLatch allUndoing = new CountDownLatch(3);

        @ReversibleAction
        public CompletableFuture<String> leg(int number, CompletableFuture<String> done) {
            CALLS.add("leg " + number);
            return done;
        }

        @Compensate("leg")
        public void unleg(int number, CompletableFuture<String> done) throws InterruptedException {
            allUndoing.countDown();
            CALLS.add("unleg " + number + (allUndoing.await(5, TimeUnit.SECONDS) ? " overlapped" : " ran alone"));
        }
    }

    public static class Trips {

        private final Flights flights;
        private final Hotels hotels;
        private final Legs legs;

        Trips(Flights flights, Hotels hotels, Legs legs) {
            this.flights = flights;
            this.hotels = hotels;
            this.legs = legs;
        }

        @ReversibleSaga
        public CompletableFuture<String> fly(String flight) {
            return flights.book(flight);
        }

        /** The hold has no timeout of its own: the saga's deadline bounds it, and the step after it never starts. */
        @ReversibleSaga(timeout = "200ms")
        public String holiday(String flight) {
            hotels.hotel(flight);
            Flights.pending = new CompletableFuture<>();
            String seen = flights.hold(flight).handle((booking, failure) -> failure == null ? booking
                    : (failure instanceof java.util.concurrent.CompletionException ? failure.getCause() : failure).getClass().getSimpleName())
                    .join();
            CALLS.add("body saw " + seen);
            return hotels.hotel("never " + flight);
        }

        @ReversibleSaga(compensation = CompensationMode.PARALLEL)
        public String tour() {
            hotels.hotel("first");
            List<CompletableFuture<String>> done = List.of(new CompletableFuture<>(), new CompletableFuture<>(), new CompletableFuture<>());
            List<CompletableFuture<String>> started = new java.util.ArrayList<>();
            for (int i = 0; i < 3; i++) {
                started.add(legs.leg(i, done.get(i)));
            }
            done.forEach(leg -> leg.complete("ok"));
            CompletableFuture.allOf(started.toArray(new CompletableFuture<?>[0])).join();
            hotels.hotel("last");
            throw new IllegalStateException("tour cancelled by the weather");
        }
    }

    public static class SyncWithTimeout {

        @ReversibleAction(timeout = "2s")
        public String charge(String account) {
            return account;
        }

        @Compensate("charge")
        public void refund(String account) {
        }
    }

    public static class BadDeadline {

        @ReversibleSaga(timeout = "soon")
        public void run() {
        }
    }
}
