package dev.reversible.spring.aop;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.reversible.core.Reversible;
import dev.reversible.core.SagaExecutor;
import dev.reversible.spring.CompensationContext;
import dev.reversible.spring.annotation.Compensate;
import dev.reversible.spring.annotation.ReversibleAction;
import dev.reversible.spring.annotation.ReversibleSaga;
import dev.reversible.spring.statistics.SagaStatistics;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * One saga per thread, one scope per running step (core rule 14): an action called inside another
 * action's {@code forwards} is its child — undone before it, and with it when it fails — and an action
 * called inside a programmatic saga of the starter's executor joins that saga.
 */
class SagaScopeTests {

    private final ApplicationContextRunner runner = SagaContexts.runner().withUserConfiguration(Config.class);

    @Test
    void failingParentUndoesItsCompletedChildThenItselfBeforeTheBodyCatchesItsFailure() {
        runner.run(context -> {
            Journeys journeys = context.getBean(Journeys.class);

            String outcome = context.getBean(Itinerary.class).planTrip("c1", Fail.PLAN);

            assertThat(outcome).isEqualTo("plan failed, carried on");
            assertThat(journeys.of("c1")).containsExactly("plan", "book", "cancel", "unplan");
            assertThat(context.getBean(SagaStatistics.class).findSaga("Itinerary.planTrip").completed()).isEqualTo(1);
        });
    }

    @Test
    void failingParentNotCaughtUndoesItsChildThenItselfOnceAndTheSagaHasNothingElseToUndo() {
        runner.run(context -> {
            Journeys journeys = context.getBean(Journeys.class);

            Throwable thrown = catchThrowable(() -> context.getBean(Itinerary.class).planTripUncaught("c1"));

            assertThat(thrown).isInstanceOf(PlanFailure.class);
            assertThat(journeys.of("c1")).containsExactly("first", "plan", "book", "cancel", "unplan", "unfirst");
        });
    }

    @Test
    void sagaRollingBackUndoesAParentsChildrenBeforeTheParentInReverseOrderOfStart() {
        runner.run(context -> {
            Journeys journeys = context.getBean(Journeys.class);

            Throwable thrown = catchThrowable(() -> context.getBean(Itinerary.class).planTrip("c1", Fail.LATER));

            assertThat(thrown).isInstanceOf(LaterFailure.class);
            assertThat(journeys.of("c1")).containsExactly("plan", "book", "cancel", "unplan");
            assertThat(journeys.indexes("c1")).containsExactly(Map.entry("cancel", 1), Map.entry("unplan", 0));
        });
    }

    @Test
    void threeLevelsOfNestingAreUndoneInnermostFirst() {
        runner.run(context -> {
            Journeys journeys = context.getBean(Journeys.class);

            Throwable thrown = catchThrowable(() -> context.getBean(Itinerary.class).planTrip("c1-spa", Fail.LATER));

            assertThat(thrown).isInstanceOf(LaterFailure.class);
            assertThat(journeys.of("c1-spa")).containsExactly("plan", "book", "pamper", "unpamper", "cancel", "unplan");
            assertThat(journeys.indexes("c1-spa")).containsExactly(Map.entry("unpamper", 2), Map.entry("cancel", 1), Map.entry("unplan", 0));
        });
    }

    @Test
    void childFailingInsideAParentThatCatchesItIsUndoneOnceAndALaterFailureUndoesOnlyTheParent() {
        runner.run(context -> {
            Journeys journeys = context.getBean(Journeys.class);

            Throwable thrown = catchThrowable(() -> context.getBean(Itinerary.class).planTrip("c1-full", Fail.LATER));

            assertThat(thrown).isInstanceOf(LaterFailure.class);
            // book failed inside plan: undone itself (rule 6); plan caught it and completed; the saga then undid plan alone.
            assertThat(journeys.of("c1-full")).containsExactly("plan", "book", "cancel", "unplan");
            assertThat(context.getBean(SagaStatistics.class).actions().get("book").failed()).isEqualTo(1);
            assertThat(context.getBean(SagaStatistics.class).actions().get("book").compensated()).isEqualTo(1);
        });
    }

    @Test
    void annotatedActionCalledInAProgrammaticBodyOfTheExecutorBeanIsUndoneWithThatSaga() {
        runner.run(context -> {
            Journeys journeys = context.getBean(Journeys.class);
            Hotel hotel = context.getBean(Hotel.class);
            IllegalStateException failure = new IllegalStateException("programmatic saga fails");

            Throwable thrown = catchThrowable(() -> context.getBean(SagaExecutor.class).execute(Reversible.gen(saga -> {
                hotel.book("c2");
                throw failure;
            }).named("programmatic")));

            assertThat(thrown).isSameAs(failure);
            assertThat(journeys.of("c2")).containsExactly("book", "cancel");
            SagaStatistics statistics = context.getBean(SagaStatistics.class);
            assertThat(statistics.findSaga("programmatic").compensated()).isEqualTo(1);
            assertThat(statistics.findSaga("book")).isNull();
        });
    }

    @Test
    void annotatedActionCalledInsideAProgrammaticStepsForwardsIsThatStepsChild() {
        runner.run(context -> {
            Journeys journeys = context.getBean(Journeys.class);
            Hotel hotel = context.getBean(Hotel.class);
            IllegalStateException failure = new IllegalStateException("programmatic saga fails");

            Throwable thrown = catchThrowable(() -> context.getBean(SagaExecutor.class).execute(Reversible.gen(saga -> {
                saga.run(Reversible.action(ctx -> {
                    journeys.add("c3", "outer");
                    return hotel.book("c3");
                }, ctx -> journeys.add("c3", "undo outer")).named("outer"));
                throw failure;
            })));

            assertThat(thrown).isSameAs(failure);
            assertThat(journeys.of("c3")).containsExactly("outer", "book", "cancel", "undo outer");
            assertThat(journeys.indexes("c3")).containsExactly(Map.entry("cancel", 1));
        });
    }

    @Test
    void actionCalledByASagaOfAnotherExecutorIsASagaOfItsOwn() {
        runner.run(context -> {
            Journeys journeys = context.getBean(Journeys.class);
            Hotel hotel = context.getBean(Hotel.class);
            IllegalStateException failure = new IllegalStateException("fails");

            Throwable thrown = catchThrowable(() -> Reversible.execute(Reversible.gen(saga -> {
                hotel.book("c4");
                throw failure;
            })));

            assertThat(thrown).isSameAs(failure);
            assertThat(journeys.of("c4")).containsExactly("book");
            assertThat(context.getBean(SagaStatistics.class).findSaga("book").completed()).isEqualTo(1);
        });
    }

    @Test
    void parentsAndChildrenOfConcurrentSagasNeverMix() {
        runner.run(context -> {
            Journeys journeys = context.getBean(Journeys.class);
            Itinerary itinerary = context.getBean(Itinerary.class);
            int threads = 8;
            int perThread = 100;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch start = new CountDownLatch(1);
            try {
                List<Future<?>> results = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    results.add(pool.submit(() -> {
                        start.await();
                        for (int i = 0; i < perThread; i++) {
                            String customer = "t" + thread + "-" + i + (i % 3 == 0 ? "-spa" : "");
                            Fail fail = i % 2 == 0 ? Fail.LATER : Fail.NONE;
                            catchThrowable(() -> itinerary.planTrip(customer, fail));
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> result : results) {
                    result.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            for (int t = 0; t < threads; t++) {
                for (int i = 0; i < perThread; i++) {
                    boolean spa = i % 3 == 0;
                    String customer = "t" + t + "-" + i + (spa ? "-spa" : "");
                    List<String> expected = new ArrayList<>(spa ? List.of("plan", "book", "pamper") : List.of("plan", "book"));
                    if (i % 2 == 0) {
                        expected.addAll(spa ? List.of("unpamper", "cancel", "unplan") : List.of("cancel", "unplan"));
                    }
                    assertThat(journeys.of(customer)).as(customer).isEqualTo(expected);
                }
            }
            SagaStatistics statistics = context.getBean(SagaStatistics.class);
            assertThat(statistics.findSaga("Itinerary.planTrip").compensated()).isEqualTo(threads * perThread / 2);
            assertThat(statistics.findSaga("Itinerary.planTrip").completed()).isEqualTo(threads * perThread / 2);
            assertThat(statistics.totals().active()).isZero();
        });
    }

    enum Fail {
        NONE, PLAN, LATER
    }

    static class PlanFailure extends RuntimeException {
        PlanFailure(String message) {
            super(message);
        }
    }

    static class LaterFailure extends RuntimeException {
        LaterFailure(String message) {
            super(message);
        }
    }

    /** What happened to each customer's trip, in order, with the step index every compensation saw. */
    static class Journeys {

        private final Map<String, List<String>> calls = new ConcurrentHashMap<>();
        private final Map<String, List<Map.Entry<String, Integer>>> indexes = new ConcurrentHashMap<>();

        void add(String customer, String call) {
            calls.computeIfAbsent(customer, c -> new CopyOnWriteArrayList<>()).add(call);
        }

        void undo(String customer, String call, CompensationContext context) {
            add(customer, call);
            indexes.computeIfAbsent(customer, c -> new CopyOnWriteArrayList<>()).add(Map.entry(call, context.stepIndex()));
        }

        List<String> of(String customer) {
            return calls.getOrDefault(customer, List.of());
        }

        List<Map.Entry<String, Integer>> indexes(String customer) {
            return indexes.getOrDefault(customer, List.of());
        }
    }

    static class Itinerary {

        private final Trip trip;
        private final Journeys journeys;

        Itinerary(Trip trip, Journeys journeys) {
            this.trip = trip;
            this.journeys = journeys;
        }

        @ReversibleSaga
        public String planTrip(String customer, Fail fail) {
            try {
                trip.plan(customer, fail == Fail.PLAN);
            } catch (PlanFailure e) {
                return "plan failed, carried on";
            }
            if (fail == Fail.LATER) {
                throw new LaterFailure("later");
            }
            return "planned";
        }

        @ReversibleSaga
        public void planTripUncaught(String customer) {
            trip.first(customer);
            trip.plan(customer, true);
        }
    }

    static class Trip {

        private final Hotel hotel;
        private final Journeys journeys;

        Trip(Hotel hotel, Journeys journeys) {
            this.hotel = hotel;
            this.journeys = journeys;
        }

        @ReversibleAction
        public void first(String customer) {
            journeys.add(customer, "first");
        }

        @Compensate("first")
        public void unfirst(String customer) {
            journeys.add(customer, "unfirst");
        }

        @ReversibleAction
        public String plan(String customer, boolean fail) {
            journeys.add(customer, "plan");
            String booking;
            try {
                booking = hotel.book(customer);
            } catch (IllegalStateException fullyBooked) {
                booking = "none";   // the parent handles its child's failure and carries on
            }
            if (fail) {
                throw new PlanFailure("plan failed after booking " + booking);
            }
            return booking;
        }

        @Compensate("plan")
        public void unplan(String customer, boolean fail, CompensationContext context) {
            journeys.undo(customer, "unplan", context);
        }
    }

    static class Hotel {

        private final Spa spa;
        private final Journeys journeys;

        Hotel(Spa spa, Journeys journeys) {
            this.spa = spa;
            this.journeys = journeys;
        }

        @ReversibleAction
        public String book(String customer) {
            journeys.add(customer, "book");
            if (customer.endsWith("-spa")) {
                spa.pamper(customer);
            }
            if (customer.endsWith("-full")) {
                throw new IllegalStateException("fully booked");
            }
            return "room for " + customer;
        }

        @Compensate("book")
        public void cancel(String customer, CompensationContext context) {
            journeys.undo(customer, "cancel", context);
        }
    }

    static class Spa {

        private final Journeys journeys;

        Spa(Journeys journeys) {
            this.journeys = journeys;
        }

        @ReversibleAction
        public void pamper(String customer) {
            journeys.add(customer, "pamper");
        }

        @Compensate("pamper")
        public void unpamper(String customer, CompensationContext context) {
            journeys.undo(customer, "unpamper", context);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Config {

        @Bean
        Journeys journeys() {
            return new Journeys();
        }

        @Bean
        Spa spa(Journeys journeys) {
            return new Spa(journeys);
        }

        @Bean
        Hotel hotel(Spa spa, Journeys journeys) {
            return new Hotel(spa, journeys);
        }

        @Bean
        Trip trip(Hotel hotel, Journeys journeys) {
            return new Trip(hotel, journeys);
        }

        @Bean
        Itinerary itinerary(Trip trip, Journeys journeys) {
            return new Itinerary(trip, journeys);
        }
    }
}
