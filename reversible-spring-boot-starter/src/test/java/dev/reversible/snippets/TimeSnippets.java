package dev.reversible.snippets;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.reversible.core.AsyncAction;
import dev.reversible.core.CompensationMode;
import dev.reversible.core.Reversible;
import dev.reversible.core.SagaExecutor;
import dev.reversible.spring.CompensationContext;
import dev.reversible.spring.annotation.Compensate;
import dev.reversible.spring.annotation.ReversibleAction;
import dev.reversible.spring.annotation.ReversibleSaga;

/** The Java of {@code docs/timeouts-and-cancellation.md}, compiled (see {@code SnippetsTests}). */
class TimeSnippets {

    record Booking(String id) {
    }

    record Trip(List<Booking> legs) {
    }

    interface Airline {
        CompletableFuture<Booking> book(String flight, String reference);

        void cancel(String bookingId);

        void cancelByReference(String reference);
    }

    // tag::stepTimeout[]
    class Flights {
        private final Airline airline;

        Flights(Airline airline) {
            this.airline = airline;
        }

        @ReversibleAction(value = "bookFlight", timeout = "2s")
        public CompletableFuture<Booking> book(String flight, String reference) {
            return airline.book(flight, reference);
        }

        @Compensate("bookFlight")
        public void cancel(String flight, String reference, Booking booking, CompensationContext context) {
            if (context.timedOut()) {
                airline.cancelByReference(reference);   // no result: the outcome is unknown, undo by state
            } else if (booking != null) {
                airline.cancel(booking.id());
            }
        }
    }
    // end::stepTimeout[]

    class Hotels {
        @ReversibleAction("reserveRoom")
        public String reserve(String night) {
            return night;
        }

        @Compensate("reserveRoom")
        public void release(String night) {
        }
    }

    // tag::sagaDeadline[]
    class TripPlanner {
        private final Flights flights;
        private final Hotels hotels;

        TripPlanner(Flights flights, Hotels hotels) {
            this.flights = flights;
            this.hotels = hotels;
        }

        @ReversibleSaga(timeout = "30s")
        public Trip plan(String flight, String night, String reference) {
            hotels.reserve(night);
            Booking booking = flights.book(flight, reference).join();
            return new Trip(List.of(booking));
        }
    }
    // end::sagaDeadline[]

    // tag::parallelCompensation[]
    class Tours {
        private final Flights flights;
        private final Hotels hotels;

        Tours(Flights flights, Hotels hotels) {
            this.flights = flights;
            this.hotels = hotels;
        }

        @ReversibleSaga(compensation = CompensationMode.PARALLEL)
        public Trip book(List<String> legs, String reference) {
            hotels.reserve("first night");
            List<CompletableFuture<Booking>> bookings = legs.stream()
                    .map(leg -> flights.book(leg, reference + "/" + leg))
                    .toList();                                        // the legs are booked at the same time
            CompletableFuture.allOf(bookings.toArray(new CompletableFuture<?>[0])).join();
            hotels.reserve("last night");
            return new Trip(bookings.stream().map(CompletableFuture::join).toList());
        }   // if this fails: the last night is released first, then the legs together, then the first night
    }
    // end::parallelCompensation[]

    void core(SagaExecutor executor, AsyncAction<Booking> bookFlight) throws Exception {
        // tag::core[]
        String tripId = executor.execute(Reversible.<String>gen(saga -> {
            saga.runAsync(Reversible.withTimeout(bookFlight, Duration.ofSeconds(2)));
            return saga.saga().id();
        }).named("trip").timeout(Duration.ofSeconds(30)).compensation(CompensationMode.PARALLEL));

        boolean cancelled = executor.cancel(tripId);   // false: the saga has ended
        // end::core[]
        if (cancelled) {
            throw new IllegalStateException("an ended saga cannot be cancelled");
        }
    }
}
