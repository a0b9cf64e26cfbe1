package dev.reversible.snippets;

import java.util.concurrent.CompletableFuture;

import dev.reversible.spring.annotation.Compensate;
import dev.reversible.spring.annotation.ReversibleAction;
import dev.reversible.spring.annotation.ReversibleSaga;

/**
 * The Java of {@code docs/asynchronous-steps.md}, compiled (see {@code SnippetsTests}). A region of several
 * {@code tag::name[]} ... {@code end::name[]} pairs of one name is their lines in order.
 */
class AsynchronousSnippets {

    record Order(String sku, int quantity) {
    }

    record Reservation(String id) {
    }

    record Payment(String id) {
    }

    record Receipt(Order order, Payment payment) {
    }

    interface Warehouse {
        CompletableFuture<Reservation> reserveAsync(String sku);

        CompletableFuture<Void> releaseAsync(Reservation reservation);
    }

    interface Payments {
        CompletableFuture<Payment> charge(Order order);
    }

    class Orders {
        private Inventory inventory;
        private Payments payments;

        // tag::asyncSaga[]
        @ReversibleSaga
        public CompletableFuture<Receipt> placeOrder(Order order) {
            return inventory.reserve(order)                               // async step 0
                    .thenCompose(reservation -> payments.charge(order))  // async step 1, started in a callback
                    .thenApply(payment -> new Receipt(order, payment));
        }   // a failed charge: refund (its own handler), then release, then the future fails with the charge's exception
        // end::asyncSaga[]
    }

    class Inventory {
        private Warehouse warehouse;

        // tag::asyncSaga[]

        @ReversibleAction
        public CompletableFuture<Reservation> reserve(Order order) { return warehouse.reserveAsync(order.sku()); }

        @Compensate("reserve")
        public CompletableFuture<Void> release(Order order, Reservation reservation) {   // the future's value
            return reservation == null ? CompletableFuture.completedFuture(null) : warehouse.releaseAsync(reservation);
        }
        // end::asyncSaga[]
    }
}
