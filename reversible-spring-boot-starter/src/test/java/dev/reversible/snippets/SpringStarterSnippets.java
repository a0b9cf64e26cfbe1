package dev.reversible.snippets;

import java.math.BigDecimal;

import dev.reversible.core.Reversible;
import dev.reversible.core.SagaExecutor;
import dev.reversible.spring.CompensationContext;
import dev.reversible.spring.annotation.Compensate;
import dev.reversible.spring.annotation.ReversibleAction;
import dev.reversible.spring.annotation.ReversibleSaga;

import org.springframework.resilience.annotation.Retryable;
import org.springframework.stereotype.Component;
import org.springframework.stereotype.Service;

/**
 * The Java of the README and {@code docs/spring-starter.md}, compiled: each region between {@code tag::name[]} and
 * {@code end::name[]} is a snippet that a document copies, and {@code SnippetsTests} fails when the copy differs.
 * The classes live outside the starter's packages, so that no test's component scan finds them.
 */
class SpringStarterSnippets {

    record Reservation(String sku, int quantity, BigDecimal amount) {
    }

    record Shipment(String trackingNumber) {
    }

    record Order(Reservation reservation, long paymentId, Shipment shipment) {
    }

    interface Inventory {
        Reservation reserve(String sku, int quantity);
    }

    interface Shipping {
        Shipment book(Reservation reservation, String country);
    }

    interface PaymentGateway {
        long charge(String customer, BigDecimal amount);

        void refund(long paymentId, String idempotencyKey);
    }

    // tag::placeOrder[]
    @Service
    class OrderService {
        private final Inventory inventory;
        private final Payments payments;
        private final Shipping shipping;

        OrderService(Inventory inventory, Payments payments, Shipping shipping) {
            this.inventory = inventory;
            this.payments = payments;
            this.shipping = shipping;
        }

        @ReversibleSaga                                   // name: "OrderService.placeOrder"
        public Order placeOrder(String customer, String sku, int quantity, String country) {
            Reservation reservation = inventory.reserve(sku, quantity);          // step 0
            long paymentId = payments.charge(customer, reservation.amount());     // step 1
            Shipment shipment = shipping.book(reservation, country);              // step 2: throws CarrierRefusedException
            return new Order(reservation, paymentId, shipment);
        }   // shipping.book threw: book is compensated, then charge, then reserve — then the same exception is rethrown
    }

    @Component
    class Payments {
        private final PaymentGateway gateway;

        Payments(PaymentGateway gateway) {
            this.gateway = gateway;
        }

        @ReversibleAction("charge")
        public long charge(String customer, BigDecimal amount) {
            return gateway.charge(customer, amount);
        }

        // The action's parameters, then (optionally) its result — null when the action itself failed —
        // and (optionally) a CompensationContext anywhere.
        @Compensate("charge")
        public void refund(String customer, BigDecimal amount, Long paymentId, CompensationContext context) {
            if (paymentId != null) {
                gateway.refund(paymentId, context.sagaId() + "/" + context.stepIndex());   // an idempotency key
            }
        }
    }
    // end::placeOrder[]

    record Booking(String trip, BigDecimal price) {
    }

    record Plan(String trip, Booking booking) {
    }

    interface Hotel {
        Booking book(String trip);
    }

    interface Budget {
        boolean allows(Booking booking);
    }

    interface Flights {
        String hold(String trip);

        void release(String trip);
    }

    static class OverBudgetException extends RuntimeException {
        OverBudgetException(String trip) {
            super("Over budget: " + trip);
        }
    }

    class TripPlanner {
        private Hotel hotel;
        private Budget budget;

        // tag::nestedPlan[]
        @ReversibleAction                                   // step 0
        public Plan plan(String trip) {
            Booking booking = hotel.book(trip);             // step 1: a child of plan
            if (!budget.allows(booking)) {
                throw new OverBudgetException(trip);        // undoes book (cancel), then plan (unplan), then throws
            }
            return new Plan(trip, booking);
        }
        // end::nestedPlan[]

        @Compensate("plan")
        public void unplan(String trip) {
        }
    }

    class ProgrammaticSaga {
        private SagaExecutor executor;
        private Hotel hotel;
        private Flights flights;

        String run(String trip) throws Exception {
            // tag::programmaticSaga[]
            executor.execute(Reversible.gen(saga -> {
                hotel.book(trip);                               // @ReversibleAction: a step of this saga
                saga.run(Reversible.action(ctx -> flights.hold(trip), ctx -> flights.release(trip)).named("hold"));
                return trip;
            }));
            // end::programmaticSaga[]
            return trip;
        }
    }

    record Money(BigDecimal amount, String currency) {
    }

    record Payment(String id) {
    }

    static class PaymentGatewayTimeout extends RuntimeException {
    }

    interface Gateway {
        Payment charge(String order, Money amount);

        void refund(Payment payment, String idempotencyKey);
    }

    class RetriedPayments {
        private Gateway gateway;

        // tag::retryable[]
        @Retryable(includes = PaymentGatewayTimeout.class, maxRetries = 2)
        @ReversibleAction
        public Payment charge(String order, Money amount) {            // one step, however many attempts
            return gateway.charge(order, amount);
        }

        @Compensate("charge")
        public void refund(String order, Money amount, Payment payment, CompensationContext context) {
            if (payment != null) {                                      // null: every attempt failed
                gateway.refund(payment, context.sagaId() + "/" + context.stepIndex());
            }
        }
        // end::retryable[]
    }
}
